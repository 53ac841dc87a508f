//! The cluster picture as a standalone SVG: the live `<svg>` cloned with each element's computed
//! styles written inline (the page's style sheet does not travel with a file), serialised as XML.

use wasm_bindgen::JsCast;

use super::export::ExportFile;

/// Presentation properties copied from the computed style (what the picture's CSS sets).
const PROPS: [&str; 17] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linecap",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "paint-order",
    "visibility",
    "display",
];

/// The picture now as an SVG file (`highwater-step-N-picture.svg`, or `.png` to be drawn).
pub fn picture_file(png: bool) -> Result<ExportFile, String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let svg = document
        .query_selector(".cluster-svg")
        .ok()
        .flatten()
        .ok_or("the picture is not on the page")?;
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| "cannot copy the picture")?
        .dyn_into()
        .map_err(|_| "cannot copy the picture")?;
    let originals = svg.query_selector_all("*").map_err(|_| "no elements")?;
    let copies = copy.query_selector_all("*").map_err(|_| "no elements")?;
    inline(&window, &svg, &copy);
    for i in 0..originals.length().min(copies.length()) {
        let (Some(o), Some(c)) = (originals.item(i), copies.item(i)) else {
            continue;
        };
        if let (Ok(o), Ok(c)) = (o.dyn_into(), c.dyn_into()) {
            inline(&window, &o, &c);
        }
    }
    let rect = svg.get_bounding_client_rect();
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("width", &format!("{}", rect.width().round()));
    let _ = copy.set_attribute("height", &format!("{}", rect.height().round()));
    let background = window
        .get_computed_style(&document.body().ok_or("no body")?.into())
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("background-color").ok())
        .unwrap_or_else(|| "#fff".into());
    let style = copy.get_attribute("style").unwrap_or_default();
    let _ = copy.set_attribute("style", &format!("{style}background:{background}"));
    let text = web_sys::XmlSerializer::new()
        .and_then(|x| x.serialize_to_string(&copy))
        .map_err(|_| "cannot write the picture")?;
    let step = svg.get_attribute("data-step").unwrap_or_default();
    Ok(ExportFile {
        name: format!(
            "highwater-step-{step}-picture.{}",
            if png { "png" } else { "svg" }
        ),
        mime: "image/svg+xml",
        text,
    })
}

/// Writes `from`'s computed presentation properties into `to`'s `style` attribute.
fn inline(window: &web_sys::Window, from: &web_sys::Element, to: &web_sys::Element) {
    let Ok(Some(computed)) = window.get_computed_style(from) else {
        return;
    };
    let mut style = String::new();
    for p in PROPS {
        if let Ok(v) = computed.get_property_value(p) {
            if !v.is_empty() {
                style.push_str(&format!("{p}:{v};"));
            }
        }
    }
    let _ = to.set_attribute("style", &style);
}
