//! Saving a file from the page: a `Blob`, an object URL and a clicked `<a download>`; a PNG is
//! drawn first from its SVG on a canvas.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::export::ExportFile;

/// Saves `file` (an SVG drawn as a PNG when its name ends in `.png`); an error in words.
pub fn save(file: &ExportFile) -> Result<(), String> {
    let blob = blob(&file.text, file.mime)?;
    if file.name.ends_with(".png") {
        return save_png(&blob, file.name.clone());
    }
    save_blob(&blob, &file.name)
}

fn blob(text: &str, mime: &str) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "the browser cannot build the file".to_string())
}

fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the browser cannot hold the file".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link")?
        .dyn_into()
        .map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has started the download; the URL can go once it is read.
    let revoke = Closure::once(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.as_ref().unchecked_ref(),
            10_000,
        );
    }
    revoke.forget();
    Ok(())
}

/// Draws the SVG `blob` on a canvas (twice its size, for sharpness) and saves it as a PNG.
fn save_png(svg: &web_sys::Blob, name: String) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(svg)
        .map_err(|_| "the browser cannot hold the drawing".to_string())?;
    let img = web_sys::HtmlImageElement::new().map_err(|_| "no image")?;
    let loaded = img.clone();
    let src = url.clone();
    let onload = Closure::once(move || {
        let _ = web_sys::Url::revoke_object_url(&src);
        let _ = draw_png(&loaded, name);
    });
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&url);
    Ok(())
}

fn draw_png(img: &web_sys::HtmlImageElement, name: String) -> Option<()> {
    const SCALE: u32 = 2;
    let document = web_sys::window()?.document()?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(img.natural_width() * SCALE);
    canvas.set_height(img.natural_height() * SCALE);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.scale(SCALE as f64, SCALE as f64).ok()?;
    ctx.draw_image_with_html_image_element(img, 0.0, 0.0).ok()?;
    let done = Closure::once(move |b: Option<web_sys::Blob>| {
        if let Some(b) = b {
            let _ = save_blob(&b, &name);
        }
    });
    canvas.to_blob(done.as_ref().unchecked_ref()).ok()?;
    done.forget();
    Some(())
}
