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
  network: true
contributes:
  requesters:
    - id: "{{key}}"
      displayName: { en_US: "{{title}}", zh_Hans: "{{title}}" }
      description:
        en_US: Chat models behind an OpenAI-compatible /chat/completions endpoint.
        zh_Hans: 通过 OpenAI 兼容的 /chat/completions 接口使用对话模型。
      modelTypes: [llm]
      defaultBaseUrl: https://api.example.com/v1
