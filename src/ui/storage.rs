//! `localStorage`: the last session (the same fragment as the URL), the theme choice, whether the
//! welcome card was dismissed and which tutorial chapters were finished.
//! Every failure is returned as text for a notice, or ignored where a notice would only be noise
//! (the welcome and the progress are conveniences); none is fatal.

use super::state::Theme;

pub const SESSION_KEY: &str = "highwater.session";
pub const THEME_KEY: &str = "highwater.theme";
/// Set once the first visit's welcome card was answered or dismissed.
pub const WELCOME_KEY: &str = "highwater.welcome";
/// The ids of the finished tutorial chapters, one per line.
pub const PROGRESS_KEY: &str = "highwater.progress";

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
    show_theme(theme);
}

/// Applies a theme without storing it (an embed's `theme=`).
pub fn show_theme(theme: Theme) {
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

/// Whether the welcome card was answered before (storage that cannot be read counts as yes, so a
/// blocked storage does not show the card on every visit).
pub fn welcome_seen() -> bool {
    storage()
        .ok()
        .and_then(|s| s.get_item(WELCOME_KEY).ok())
        .is_none_or(|v| v.is_some())
}

pub fn set_welcome_seen() {
    if let Ok(s) = storage() {
        let _ = s.set_item(WELCOME_KEY, "dismissed");
    }
}

/// The finished chapters' ids (empty when nothing is stored or it cannot be read).
pub fn load_progress() -> Vec<String> {
    storage()
        .ok()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .map(|v| parse_progress(&v))
        .unwrap_or_default()
}

/// Marks a chapter finished (once).
pub fn mark_chapter_done(id: &str) {
    let mut done = load_progress();
    if done.iter().any(|d| d == id) {
        return;
    }
    done.push(id.to_string());
    if let Ok(s) = storage() {
        let _ = s.set_item(PROGRESS_KEY, &done.join("\n"));
    }
}

/// The stored progress, one id per line; blank lines and repeats are dropped.
pub fn parse_progress(stored: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in stored.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !ids.iter().any(|d| d == id) {
            ids.push(id.to_string());
        }
    }
    ids
}
