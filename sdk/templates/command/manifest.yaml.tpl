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
  commands:
    - name: "{{key}}"
      description:
        en_US: Counts the words you give it.
        zh_Hans: 统计你给出的单词数。
      usage: "!{{key}} <words…>"
