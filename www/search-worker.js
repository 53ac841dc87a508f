// The counterexample search's Web Worker (src/search/worker.rs): a classic worker that loads the
// no-modules wasm-bindgen glue, then the wasm, whose main installs the message handler.
importScripts('./highwater-check.js');
wasm_bindgen({ module_or_path: './highwater-check_bg.wasm' });
