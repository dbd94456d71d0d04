//! The back office's image field: a preview of the image and a file input that uploads a
//! PNG, JPEG or WebP (`POST /api/admin/images`, checked for type and size first) and puts
//! its `/media/…` address into the form's image. The item form and the cause form use it;
//! the form owns the upload's [`Intent`] so its own button waits while an upload is on
//! its way ([`Intent::pending`]).

use leptos::prelude::*;
use mall_core::catalog_admin::{UploadedImage, IMAGE_MAX_BYTES};

use crate::{
    api::{self, ApiFailure},
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, by_status, OpsResult},
};

/// An upload: the picked file (a `File`) and its content type.
pub type Upload = Intent<(wasm_bindgen::JsValue, String), UploadedImage>;

/// The upload a form's image field sends.
pub fn upload_intent() -> Upload {
    Intent::new(|(file, content_type): (wasm_bindgen::JsValue, String), _key: String| async move {
        api::admin_upload_image(&file, &content_type).await
    })
}

/// What an upload's refusal says.
fn upload_error(lang: Lang, f: &ApiFailure) -> String {
    let p = lang.p();
    by_status(lang, f, &[(413, p.item_image_big), (415, p.item_image_type)])
}

/// The preview, the file input, and what the upload said. Test ids start with `prefix`
/// (`{prefix}-image`, `-upload`, `-uploading`, `-upload-result`).
#[component]
pub fn ImageUpload(
    image: RwSignal<String>,
    upload: Upload,
    prefix: &'static str,
    /// The field's label (default: "upload an image").
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let said = RwSignal::new(None::<Result<String, String>>);
    let result = answer(said, upload, move |f| upload_error(lang, f));
    let uploading = move || upload.pending();
    let pick_file = move |ev: leptos::ev::Event| {
        // Read through `Reflect` (no `HtmlInputElement`/`File` bindings: their imports
        // would be in the main module, the first visit).
        use js_sys::Reflect;
        let get = |on: &wasm_bindgen::JsValue, key: &str| Reflect::get(on, &key.into()).ok();
        let Some(target) = ev.target().map(wasm_bindgen::JsValue::from) else { return };
        let Some(file) = get(&target, "files").and_then(|files| Reflect::get_u32(&files, 0).ok()).filter(|f| f.is_object()) else {
            return;
        };
        let content_type = get(&file, "type").and_then(|t| t.as_string()).unwrap_or_default();
        let size = get(&file, "size").and_then(|s| s.as_f64()).unwrap_or(0.0);
        if !["image/png", "image/jpeg", "image/webp"].contains(&content_type.as_str()) {
            said.set(Some(Err(lang.p().item_image_type.to_string())));
            return;
        }
        if size > IMAGE_MAX_BYTES as f64 {
            said.set(Some(Err(lang.p().item_image_big.to_string())));
            return;
        }
        said.set(None);
        upload.dispatch((file, content_type), move |up: UploadedImage| {
            image.try_set(up.url);
            said.try_set(Some(Ok(format!("{} ({} kB)", lang.p().item_uploaded, up.bytes.div_ceil(1000)))));
        });
    };
    view! {
        <div class="image-field">
            {move || (!image.get().is_empty()).then(|| view! {
                <img class="image-preview" src=image.get() alt=p.ops_image width="96" height="96" data-testid=format!("{prefix}-image") />
            })}
            <label class="field grow"><span>{label.unwrap_or(p.item_upload)}</span>
                <input type="file" accept="image/png,image/jpeg,image/webp" data-testid=format!("{prefix}-upload")
                    disabled=uploading on:change=pick_file />
            </label>
        </div>
        {move || uploading().then(|| view! { <p class="ops-result" role="status" data-testid=format!("{prefix}-uploading")>{p.item_uploading}</p> })}
        <OpsResult result testid=format!("{prefix}-upload-result") />
    }
}
