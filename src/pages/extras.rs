//! The `extras` chunk's entry: donation (`/causes`), the lucky draw (`/lottery`) and
//! Home's leaderboard and picks (mounted by Home after its first screen), one chunk picked
//! by path (another chunk group would cost the first visit its loader).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::pages::{causes::Causes, home_extras::HomeExtras, lottery::LotteryPage};

/// The page for the current path.
#[component]
pub fn Extras() -> impl IntoView {
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
    move || match path.get().as_str() {
        "/lottery" => view! { <LotteryPage /> }.into_any(),
        "/" => view! { <HomeExtras /> }.into_any(),
        _ => view! { <Causes /> }.into_any(),
    }
}
