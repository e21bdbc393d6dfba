// schema-check.js - validate JSON documents against a JSON Schema (draft-07)
// with Ajv from Debian's node-ajv (NODE_PATH=/usr/share/nodejs).
//
//   node schema-check.js SCHEMA.json DOC.json...
//
// Prints "ok FILE" or "invalid FILE" with every error; exits 1 if any
// document is invalid, 2 if the schema itself does not compile.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const [schemaFile, ...docs] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true });
let validate;
try {
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
} catch (e) {
  console.log(`schema ${schemaFile}: ${e.message}`);
  process.exit(2);
}
let bad = 0;
for (const file of docs) {
  if (validate(JSON.parse(fs.readFileSync(file, 'utf8')))) {
    console.log(`ok ${file}`);
  } else {
    bad++;
    console.log(`invalid ${file}:\n  ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
  }
}
process.exit(bad ? 1 : 0);
