// Reads a FlatGeobuf file with the FlatGeobuf project's own JavaScript reader (npm `flatgeobuf`,
// independent of GDAL, which wrote it) and prints its features as a GeoJSON FeatureCollection.
import fs from 'node:fs';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';

const bytes = new Uint8Array(fs.readFileSync(process.argv[2]));
const features = [];
for await (const feature of deserialize(bytes)) features.push(feature);
process.stdout.write(JSON.stringify({ type: 'FeatureCollection', features }));
