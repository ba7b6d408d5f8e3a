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
permissions:
  # To send replies through the bot.
  services: [bots]
contributes:
  eventHandlers:
    - type: "{{key}}"
      displayName: { en_US: "{{title}}", zh_Hans: "{{title}}" }
      description:
        en_US: Answers every message with its text, after a prefix.
        zh_Hans: 在前缀之后原样回复每条消息。
      config:
        type: object
        properties:
          prefix:
            type: string
            title: { en_US: Prefix, zh_Hans: 前缀 }
            default: "You said: "
