// Reference predictions from nsfwjs' own JavaScript: its bundled MobileNetV2 loaded by nsfwjs.load() and its
// infer() (div 255, resizeBilinear with align corners, predict) on TF.js' CPU backend.
// Usage: node nsfwjs-predict.cjs <dir>; <dir>/inputs.json = [{name, width, height}], <dir>/<name>.rgb = uint8 RGB.
// Writes <dir>/<name>.probs.json (class probabilities) and <dir>/<name>.f32 (the resized [224,224,3] tensor).
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const nsfwjs = require('nsfwjs');

(async () => {
  const dir = process.argv[2];
  await tf.setBackend('cpu');
  const model = await nsfwjs.load('MobileNetV2');
  for (const { name, width, height } of JSON.parse(fs.readFileSync(path.join(dir, 'inputs.json'), 'utf8'))) {
    const bytes = fs.readFileSync(path.join(dir, `${name}.rgb`));
    const image = tf.tensor3d(Int32Array.from(bytes), [height, width, 3], 'int32');
    const probabilities = Array.from(await model.infer(image).data());
    fs.writeFileSync(path.join(dir, `${name}.probs.json`), JSON.stringify(probabilities));
    // The same preprocessing nsfwjs' infer() applies, kept to tell a resize mismatch from a model mismatch.
    const resized = tf.image.resizeBilinear(image.toFloat().div(tf.scalar(255)), [224, 224], true);
    const data = await resized.data();
    fs.writeFileSync(path.join(dir, `${name}.f32`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
