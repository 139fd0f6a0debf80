#!/usr/bin/env node
// Decodes every interval of an .hlog with hdr-histogram-js (an independent HdrHistogram
// implementation) and prints JSON: per interval its tag, start/end (ms), total count, min, max,
// p50/p90/p99/p99.9 and the histogram re-encoded by hdr-histogram-js; plus "all", the merge of
// every interval. Used by hdr_js_crosscheck_test to check stampede's encoder and percentiles.
// Usage: node tests/hdr_js/decode_hlog.js FILE.hlog
"use strict";

const fs = require("fs");

let hdr;
try {
  hdr = require("hdr-histogram-js");
} catch (err) {
  process.stderr.write(
    "hdr-histogram-js is not installed: run `npm ci --prefix tests/hdr_js` (" + err.message + ")\n");
  process.exit(2);
}

if (process.argv.length !== 3) {
  process.stderr.write("usage: node decode_hlog.js FILE.hlog\n");
  process.exit(64);
}

// Float64 counts: an Int32 histogram (the reader's default) would wrap past 2^31 per bucket.
const kBitBucketSize = 64;

function summary(h) {
  return {
    total_count: h.totalCount,
    // hdr-histogram-js only has minNonZeroValue; percentile 0 is the minimum including 0.
    min: h.getValueAtPercentile(0),
    max: h.maxValue,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p99_9: h.getValueAtPercentile(99.9),
  };
}

const reader = new hdr.HistogramLogReader(fs.readFileSync(process.argv[2], "utf8"), kBitBucketSize);
const intervals = [];
let all = null;
for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
  intervals.push({
    tag: h.tag,
    start_ms: h.startTimeStampMsec,
    end_ms: h.endTimeStampMsec,
    ...summary(h),
    reencoded: hdr.encodeIntoCompressedBase64(h),
  });
  if (all === null) {
    all = hdr.build({
      bitBucketSize: kBitBucketSize,
      lowestDiscernibleValue: h.lowestDiscernibleValue,
      highestTrackableValue: h.highestTrackableValue,
      numberOfSignificantValueDigits: h.numberOfSignificantValueDigits,
    });
  }
  all.add(h);
}
process.stdout.write(JSON.stringify({ intervals, all: all === null ? null : summary(all) }) + "\n");
