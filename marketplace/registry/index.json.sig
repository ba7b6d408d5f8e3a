{
  "algorithm": "ed25519",
  "keyId": "0fae10c393ca91dd",
  "signature": "wTYhWPEgzfw8dQdzhBF0R37IC0pm4riKrbedzpX6Rufzcv4Ea+3Wjyunds77fwcNkHsexZlRwKU5I1KHadPiDg=="
}
