id: "{{id}}"
version: 0.1.0
displayName:
  en_US: "{{title}}"
  zh_Hans: "{{title}}"
description:
  en_US: "{{summary}}"
  zh_Hans: "{{summary_zh}}"
engines: { langbot: "^0.1.0" }
entry: ./index.ts
isolation: {{isolation}}
activation: onUse
services:
  requires: [events]
permissions:
  # To hand incoming messages to the kernel.
  services: [events]
  network: true
contributes:
  adapters:
    - id: "{{key}}"
      displayName: { en_US: "{{title}}", zh_Hans: "{{title}}" }
      description:
        en_US: "The platform POSTs {\"user\", \"text\"} to <LangBot URL>/bots/<bot uuid>; replies are POSTed as {\"to\", \"text\"} to the callback URL."
        zh_Hans: "平台向 <LangBot 地址>/bots/<机器人 uuid> POST {\"user\", \"text\"}；回复以 {\"to\", \"text\"} POST 到回调地址。"
      supportedEvents: [message.received]
      supportedApis: [send_message, reply_message]
      webhook: true
      config:
        type: object
        required: [callback_url]
        properties:
          callback_url:
            type: string
            title: { en_US: Callback URL, zh_Hans: 回调地址 }
            pattern: "^https?://"
