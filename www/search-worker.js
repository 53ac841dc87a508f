// The counterexample search's Web Worker (src/search/worker.rs): a classic worker that loads the
// no-modules wasm-bindgen glue, then the wasm, whose main installs the message handler. A wasm
// that cannot load is told to the page in the protocol's words (src/search/protocol.rs).
importScripts('./highwater-check.js');
wasm_bindgen({ module_or_path: './highwater-check_bg.wasm' }).catch((e) =>
  postMessage(`refused\nthe search could not start: its wasm did not load (${e})`),
);
