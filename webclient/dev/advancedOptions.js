// Development fixture for `npm run dev` and `npm run preview`: the Go server
// renders this file from the advancedOptions section of its configuration.
// It points at the Kamailio development SBC (examples/kamailio).
var defaultServerConfig = {
  sipDomain: "example.test",
  sipServerAddress: ["ws://127.0.0.1:8088"],
  prioritize: true,
  guiEnabled: true,
  disableEditing: false
};

var storageConfig = { location: "sessionStorage" };

var noAnswerTimeout = 60;

var debugMode = true;
