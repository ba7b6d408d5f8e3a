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
config:
  type: object
  properties:
    greeting:
      type: string
      title: { en_US: Greeting, zh_Hans: 问候语 }
      default: Hello
contributes:
  tools:
    - name: "{{key}}"
      description:
        en_US: Greets someone by name.
        zh_Hans: 按名字向某人问好。
      parameters:
        type: object
        properties:
          name: { type: string, description: Who to greet. }
        required: [name]
