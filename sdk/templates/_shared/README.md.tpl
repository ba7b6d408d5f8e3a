# {{title}}

{{summary}}

A LangBot TS extension (`{{id}}`, kind: {{kind}}), made with `langbot-ext create`.

## Files

{{layout}}

## Commands

```sh
langbot-ext test               # run the tests (vitest)
langbot-ext validate           # check the manifest, the entry and that it bundles
langbot-ext dev                # run a kernel with this extension; edits reload on their own
langbot-ext build              # bundle index.ts into dist/extension.js
langbot-ext pack               # make {{id}}-<version>.tgz for a registry
langbot-ext publish --registry <url> --token <token>
```

`npm install` links the SDK (and the `langbot-ext` command) into `node_modules`; without it, run the
command from the LangBot TS checkout: `node <langbot>/sdk/bin/langbot-ext.mjs test`.

## Try it

{{tryIt}}

Bump `version` in `manifest.yaml` before you publish a new release: a registry refuses a version it already has.
