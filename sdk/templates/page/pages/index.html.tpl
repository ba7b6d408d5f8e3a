<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{{title}}</title>
    <link rel="stylesheet" href="./style.css" />
  </head>
  <body>
    <main>
      <h1>{{title}}</h1>
      <p>This page belongs to the extension <code>{{id}}</code>. Everything in <code>pages/</code> is packed with it.</p>
    </main>
  </body>
</html>
