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
  eventListeners:
    # Private and group messages, before the model is asked.
    - events: [PersonNormalMessageReceived, GroupNormalMessageReceived]
