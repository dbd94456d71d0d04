//! Entry point for Trunk: mounts the app.

fn main() {
    mall_app::start();
}
