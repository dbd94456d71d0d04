//! The `extras` chunk's entry: donation (`/causes`), the lucky draw (`/lottery`) and
//! Home's leaderboard and picks (mounted by Home after its first screen), one chunk picked
//! by path (another chunk group would cost the first visit its loader).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::pages::{causes::Causes, home_extras::HomeExtras, lottery::LotteryPage};

/// The page for the path it opened on (the app mounts it again for another path).
#[component]
pub fn Extras() -> impl IntoView {
    match use_location().pathname.get_untracked().as_str() {
        "/lottery" => view! { <LotteryPage /> }.into_any(),
        "/" => view! { <HomeExtras /> }.into_any(),
        _ => view! { <Causes /> }.into_any(),
    }
}
