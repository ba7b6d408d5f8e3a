{
  "algorithm": "ed25519",
  "keyId": "0fae10c393ca91dd",
  "signature": "Dvz/tLfblxnxw90zIZUEXfEedgZRhpuUZiCOJ26LVf/OWf6JXN46O6/2hqVlFyDQwgY5Nt41pcn79RwuSH52CQ=="
}
