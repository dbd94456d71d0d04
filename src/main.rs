//! Entry point of the wasm binary (built by scripts/build-app.sh): mounts the app.

fn main() {
    mall_app::start();
}
