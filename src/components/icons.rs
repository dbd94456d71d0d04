//! Inline SVG icons: one stroke width, `currentColor`, hidden from screen readers
//! (the control that holds one carries the accessible name).

use leptos::prelude::*;

/// The icons the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconKind {
    /// House.
    Home,
    /// Gift box.
    Gift,
    /// Calendar with a tick.
    Calendar,
    /// List.
    List,
    /// Person.
    User,
    /// Chevron left.
    Back,
    /// Magnifier.
    Search,
    /// Coin.
    Coin,
    /// Chevron right.
    Chevron,
    /// Shopping bag.
    Bag,
    /// Ticket.
    Ticket,
    /// Lightning bolt.
    Bolt,
    /// Arrow turning back.
    Undo,
    /// Clock.
    Clock,
    /// Slider (adjustment).
    Sliders,
}

fn path(kind: IconKind) -> &'static str {
    match kind {
        IconKind::Home => "M3 10.5 12 3l9 7.5M5 9v11h5v-6h4v6h5V9",
        IconKind::Gift => "M4 11h16v9H4zM3 7h18v4H3zM12 7v13M12 7c-1.5-3-5-3-5-1s3 1 5 1c2 0 5 1 5-1s-3.5-2-5 1",
        IconKind::Calendar => "M4 5h16v15H4zM4 9h16M8 3v4M16 3v4M9 14l2 2 4-4",
        IconKind::List => "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01",
        IconKind::User => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
        IconKind::Back => "M15 5l-7 7 7 7",
        IconKind::Search => "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4",
        IconKind::Coin => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9h6M12 9v7M9.5 13h5",
        IconKind::Chevron => "M9 5l7 7-7 7",
        IconKind::Bag => "M5 8h14l-1 12H6zM9 8V6a3 3 0 0 1 6 0v2",
        IconKind::Ticket => "M4 7h16v3a2 2 0 0 0 0 4v3H4v-3a2 2 0 0 0 0-4zM10 7v10",
        IconKind::Bolt => "M13 3 5 14h6l-1 7 8-11h-6z",
        IconKind::Undo => "M9 7 4 12l5 5M4 12h11a5 5 0 0 1 0 10h-2",
        IconKind::Clock => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2",
        IconKind::Sliders => "M4 7h10M18 7h2M4 17h4M12 17h8M14 5v4M8 15v4",
    }
}

/// An icon, 24 px by default.
#[component]
pub fn Icon(kind: IconKind, #[prop(default = 24)] size: u32) -> impl IntoView {
    view! {
        <svg class="icon" width=size height=size viewBox="0 0 24 24" fill="none" stroke="currentColor"
            stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d=path(kind) />
        </svg>
    }
}
