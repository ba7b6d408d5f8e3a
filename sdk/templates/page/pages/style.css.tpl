body {
  font-family: system-ui, sans-serif;
  margin: 2rem;
  color: #1f2328;
}
