// Runs @placemarkio/check-geojson (an independent GeoJSON validator) on each file named on the
// command line and prints {"file": [issues...]} as JSON. Exit status 0 either way: the test reads it.
const fs = require('fs');
const { getIssues } = require('@placemarkio/check-geojson');

const result = {};
for (const file of process.argv.slice(2)) {
  result[file] = getIssues(fs.readFileSync(file, 'utf8'));
}
process.stdout.write(JSON.stringify(result));
