{
  "name": "{{id}}",
  "version": "0.1.0",
  "private": true,
  "description": "{{summary}}",
  "type": "module",
  "scripts": {
    "test": "langbot-ext test",
    "validate": "langbot-ext validate",
    "build": "langbot-ext build",
    "pack": "langbot-ext pack",
    "dev": "langbot-ext dev"
  },
  "devDependencies": {
    "@langbot-ts/sdk": "file:{{sdk}}"
  }
}
