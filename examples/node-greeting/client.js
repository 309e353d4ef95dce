// The Node.js client of the classic gRPC introduction, unchanged: it loads greeting.proto and calls
// SayHello with an empty request on localhost:50051, in plaintext.
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const packageDefinition = protoLoader.loadSync("greeting.proto", {});
const greeting = grpc.loadPackageDefinition(packageDefinition).greeting;

const client = new greeting.GreetingService("localhost:50051", grpc.credentials.createInsecure());

client.sayHello({}, (err, response) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(response.message);
});
