{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2023"],
    "strict": true,
    "noEmit": true,
    "isolatedModules": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "types": ["node"],
    "typeRoots": ["{{sdk}}/../node_modules/@types"],
    "paths": {
      "@langbot-ts/sdk": ["{{sdk}}/index.ts"],
      "@langbot-ts/sdk/*": ["{{sdk}}/*/index.ts"],
      "vitest": ["{{sdk}}/../node_modules/vitest/dist/index.d.ts"]
    }
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules", "dist"]
}
