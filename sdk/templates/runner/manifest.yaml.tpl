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
contributes:
  runners:
    - id: "{{key}}"
      displayName: { en_US: "{{title}}", zh_Hans: "{{title}}" }
      description:
        en_US: Answers with how many messages came before, and the message itself.
        zh_Hans: 回复此前的消息数量以及消息本身。
      capabilities: { streaming: false }
      # The pipeline's settings section `ai.{{key}}`; the runner gets it as `request.config`.
      config:
        type: object
        properties:
          greeting:
            type: string
            title: { en_US: Greeting, zh_Hans: 问候语 }
            default: Hi
