// Orders followed over TrackOrders through the gateway while order-service restarts (grpc-js, as a
// client outside the mesh): N orders placed and each followed on a stream of its own; READY once
// every stream has its order's state; then, after a line on stdin (the restart done), N more orders
// placed, each added to a stream, and every stream closed. Passes when every stream got exactly its
// two orders' states and ended normally: the gateway resumed it on another replica, leaving out
// the state the stream already had.
// Usage: node follow-through-restart.js HOST:PORT PROTO_DIR N IDS_FILE   (ids for ./shopmesh audit)
const fs = require('fs');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const [address, protoDir, count, idsFile] = process.argv.slice(2);
const n = Number(count);
const definition = loader.loadSync('shop/order/v1/order.proto', { includeDirs: [protoDir] });
const orders = new (grpc.loadPackageDefinition(definition).shop.order.v1.OrderService)(address, grpc.credentials.createInsecure());
const expiry = '12/' + String((new Date().getFullYear() + 5) % 100).padStart(2, '0');
const ids = fs.createWriteStream(idsFile);

const place = i => new Promise((ok, ko) => orders.placeOrder({ customerId: 'follow-' + i,
  items: [{ productId: 'mug', quantity: 1 }], payment: { cardNumber: '4242424242424242', expiry, cvv: '123' } },
  { deadline: Date.now() + 20000 }, (err, answer) => {
    if (err) return ko(new Error('PlaceOrder: ' + err.code + ' ' + err.details));
    ids.write(answer.order.id + '\n');
    ok(answer.order.id);
  }));
const until = async (what, condition, ms) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('not within ' + ms / 1000 + ' s: ' + what);
    await new Promise(r => setTimeout(r, 50));
  }
};
const placeAll = from => Promise.all([...Array(n).keys()].map(i => place(from + i)));

(async () => {
  const first = await placeAll(0);
  const streams = first.map(id => {
    const stream = { call: orders.trackOrders(), seen: [] };
    stream.ended = new Promise(done => {
      stream.call.on('data', m => stream.seen.push(m.order.id));
      stream.call.on('error', e => done('failed ' + grpc.status[e.code] + ': ' + e.details));
      stream.call.on('end', () => done('ended'));
    });
    stream.call.write({ addOrderId: id });
    return stream;
  });
  await until('every stream with its order', () => streams.every(s => s.seen.length >= 1), 20000);
  console.log('READY: ' + n + ' streams open');
  await new Promise((go, fail) => readline.createInterface({ input: process.stdin }).once('line', go)
    .once('close', () => fail(new Error('stdin closed before the restart was said to be done'))));
  const second = await placeAll(n);
  streams.forEach((s, i) => s.call.write({ addOrderId: second[i] }));
  await until('every stream with its second order', () => streams.every(s => s.seen.length >= 2), 20000).catch(() => {});
  streams.forEach(s => s.call.end());
  const outcomes = await Promise.all(streams.map(s => Promise.race([s.ended, new Promise(r => setTimeout(() => r('not ended in 20 s'), 20000))])));
  const tally = {};
  outcomes.forEach((o, i) => {
    const right = streams[i].seen.join() === [first[i], second[i]].join();
    const key = o + (right ? ', its two states' : ', states: ' + streams[i].seen.length);
    tally[key] = (tally[key] || 0) + 1;
  });
  console.log('streams: ' + JSON.stringify(tally));
  ids.end(() => process.exit(tally['ended, its two states'] === n ? 0 : 1));
})().catch(e => { console.error(e.message); process.exit(1); });
