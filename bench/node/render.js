// docxtemplater's side of bench/render.py: render one template with one data set N times.
//
//   node render.js TEMPLATE.docx DATA.json OUT.docx REPS
//
// Each repetition does what a docxtemplater user does for one document: read the template,
// open it with PizZip, compile and render it, and generate the .docx bytes (DEFLATE). The last
// result is written to OUT.docx so the caller can check it. Prints JSON: the time of each
// repetition in milliseconds, and the process start-up cost as measured by Node.
"use strict";

const fs = require("fs");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");

const [template, dataPath, out, repsArg] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataPath, "utf8"));
const reps = Number(repsArg || 5);
const times = [];
let bytes = null;
for (let i = 0; i < reps; i++) {
  const start = process.hrtime.bigint();
  const zip = new PizZip(fs.readFileSync(template));
  const doc = new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true });
  doc.render(data);
  bytes = doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
fs.writeFileSync(out, bytes);
process.stdout.write(JSON.stringify({ times_ms: times, uptime_ms: process.uptime() * 1000 }) + "\n");
