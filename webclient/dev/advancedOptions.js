// Development fixture: the Go server renders this file from its YAML config.
var defaultServerConfig = {
  sipDomain: "127.0.0.1",
  sipServerAddress: ["ws://127.0.0.1:8088"],
  guiEnabled: true,
  disableEditing: false
};
