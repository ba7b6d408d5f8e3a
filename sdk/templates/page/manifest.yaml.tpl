id: "{{id}}"
version: 0.1.0
displayName:
  en_US: "{{title}}"
  zh_Hans: "{{title}}"
description:
  en_US: "{{summary}}"
  zh_Hans: "{{summary_zh}}"
engines: { langbot: "^0.1.0" }
# Only pages: static files, so no entry and no code runs in the kernel.
contributes:
  pages:
    - id: "{{key}}"
      title: { en_US: "{{title}}", zh_Hans: "{{title}}" }
      path: "/{{key}}"
      entry: ./pages/index.html
