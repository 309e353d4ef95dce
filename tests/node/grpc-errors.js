// A bad order and an unknown order, asked with grpc-js (the Node.js client of the README's greeting
// example): each must come back with its gRPC status and its message as written, once grpc-js has
// decoded it. Usage: node grpc-errors.js HOST:PORT PROTO_DIR; exits 1 on the first difference.
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const [address, protoDir] = process.argv.slice(2);
const definition = loader.loadSync('shop/order/v1/order.proto', { includeDirs: [protoDir] });
const orders = new (grpc.loadPackageDefinition(definition).shop.order.v1.OrderService)(address, grpc.credentials.createInsecure());

function expect(what, err, code, details) {
  if (!err || err.code !== code || err.details !== details) {
    console.error(`${what}: expected ${code} "${details}", got ${err && err.code} "${err && err.details}"`);
    process.exit(1);
  }
  console.log(`${what}: ${code} "${details}"`);
}

const badOrder = {
  customerId: 'ci', items: [{ productId: 'mug', quantity: 0 }],
  payment: { cardNumber: '4242424242424242', expiry: '12/39', cvv: '123' },
};
orders.placeOrder(badOrder, { deadline: Date.now() + 10000 }, err => {
  expect('PlaceOrder, quantity 0', err, grpc.status.INVALID_ARGUMENT, 'items[0].quantity must be between 1 and 1000, got 0');
  orders.watchOrder({ id: 'no such: order' }, { deadline: Date.now() + 10000 })
    .on('data', () => {})
    .on('error', e => {
      expect('WatchOrder, unknown id', e, grpc.status.NOT_FOUND, "order 'no such: order' does not exist");
      process.exit(0);
    });
});
