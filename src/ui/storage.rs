//! `localStorage`: the last session (the same fragment as the URL) and the theme choice.
//! Every failure is returned as text for a notice; none is fatal.

use super::state::Theme;

pub const SESSION_KEY: &str = "highwater.session";
pub const THEME_KEY: &str = "highwater.theme";

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("local storage is not available".into()),
        Err(_) => Err("local storage is blocked".into()),
    }
}

pub fn load_session() -> Result<Option<String>, String> {
    storage()?
        .get_item(SESSION_KEY)
        .map_err(|_| "local storage could not be read".to_string())
}

pub fn save_session(fragment: &str) -> Result<(), String> {
    storage()?
        .set_item(SESSION_KEY, fragment)
        .map_err(|_| "local storage is full or blocked".to_string())
}

pub fn load_theme() -> Option<String> {
    storage().ok()?.get_item(THEME_KEY).ok()?
}

/// Stores the theme choice and applies it: `data-theme` on `<html>` (none for "auto", which
/// follows `prefers-color-scheme`).
pub fn apply_theme(theme: Theme) {
    if let Ok(s) = storage() {
        let _ = match theme {
            Theme::Auto => s.remove_item(THEME_KEY),
            t => s.set_item(THEME_KEY, t.as_str()),
        };
    }
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Theme::Auto => root.remove_attribute("data-theme"),
        t => root.set_attribute("data-theme", t.as_str()),
    };
}
