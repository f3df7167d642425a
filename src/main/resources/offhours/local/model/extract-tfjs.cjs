// Turns nsfwjs' bundled TF.js model (UMD wrappers around the model JSON and base64 weight shards)
// into plain model.json + weights.bin, and its class map into labels.txt.
// Usage: node extract-tfjs.cjs <package dir> <model name> <out dir>
// The wrappers are evaluated in a fresh vm context because the package is "type": "module",
// which would make require() treat its .js files as ES modules.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

function evaluate(file) {
  const module = { exports: {} };
  const context = vm.createContext({ module, exports: module.exports });
  new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file }).runInContext(context);
  return module.exports;
}

const [pkg, modelName, out] = process.argv.slice(2);
const modelDir = path.join(pkg, 'dist', 'models', modelName);
const loaded = evaluate(path.join(modelDir, 'model.min.js'));
const model = loaded.modelTopology ? loaded : loaded.default;
if (!model || !model.modelTopology || !model.weightsManifest) {
  throw new Error(`${modelDir}/model.min.js does not export {modelTopology, weightsManifest}`);
}
const shards = [];
for (const group of model.weightsManifest) {
  for (const p of group.paths) {
    const b64 = evaluate(path.join(modelDir, `${p}.min.js`));
    if (typeof b64 !== 'string') throw new Error(`${p}.min.js does not export a base64 string`);
    shards.push(Buffer.from(b64, 'base64'));
  }
}
const manifest = [{ paths: ['weights.bin'], weights: model.weightsManifest.flatMap((g) => g.weights) }];
fs.writeFileSync(path.join(out, 'weights.bin'), Buffer.concat(shards));
fs.writeFileSync(path.join(out, 'model.json'),
  JSON.stringify({ modelTopology: model.modelTopology, weightsManifest: manifest }));

const classes = evaluate(path.join(pkg, 'dist', 'cjs', 'nsfw_classes.js')).NSFW_CLASSES;
const labels = Object.keys(classes).map(Number).sort((a, b) => a - b).map((i) => classes[i]);
fs.writeFileSync(path.join(out, 'labels.txt'), labels.join('\n') + '\n');
