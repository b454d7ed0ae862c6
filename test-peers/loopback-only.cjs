// Loaded with `node --require` by tests: every server this process starts listens on 127.0.0.1 only, whatever
// host (or none) the program asked for. Tests must never listen on other interfaces.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "object" && args[0] !== null) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  } else if (typeof args[0] === "number" || typeof args[0] === "string") {
    const port = args[0];
    const rest = args.slice(1).filter((a) => typeof a === "function" || typeof a === "number");
    const callback = rest.find((a) => typeof a === "function");
    const backlog = rest.find((a) => typeof a === "number");
    args = backlog === undefined ? [port, "127.0.0.1", callback] : [port, "127.0.0.1", backlog, callback];
    args = args.filter((a) => a !== undefined);
  }
  return listen.apply(this, args);
};
