// A small CRI client for the tests (Debian has no crictl):
//   node cri-client.js DESCRIPTOR SOCKET METHOD 'REQUEST-JSON'
// DESCRIPTOR is the runtime.v1 FileDescriptorProto (see extract-cri-descriptor.py).
// Prints the response as JSON; on a gRPC error prints its message on stderr, exits 1.
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [descriptorPath, socket, method, request] = process.argv.slice(2);
function varint(n) {
  const out = [];
  while (n > 127) { out.push((n & 127) | 128); n >>>= 7; }
  out.push(n);
  return Buffer.from(out);
}
const fd = fs.readFileSync(descriptorPath);
// a FileDescriptorSet of one file: field 1, length-delimited
const set = Buffer.concat([Buffer.from([0x0a]), varint(fd.length), fd]);
const definition = protoLoader.loadFileDescriptorSetFromBuffer(set, {
  keepCase: true, longs: String, enums: String, defaults: false, bytes: String,
});
const runtime = grpc.loadPackageDefinition(definition).runtime.v1;
const client = new runtime.RuntimeService('unix://' + socket, grpc.credentials.createInsecure());
const deadline = new Date(Date.now() + 60000);
client[method](JSON.parse(request || '{}'), { deadline }, (err, response) => {
  if (err) {
    process.stderr.write(err.details || err.message);
    process.stderr.write('\n');
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(response) + '\n');
  process.exit(0);
});
