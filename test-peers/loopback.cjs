// Preloaded into the HTTP test servers (node --require): servers that listen on a port without naming a host
// (express's app.listen(PORT)) would bind every interface; tests must only ever bind the loopback address.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const port = args[0];
  const isPort = typeof port === "number" || (typeof port === "string" && /^\d+$/.test(port));
  if (isPort && typeof args[1] !== "string") {
    args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};
