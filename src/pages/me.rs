//! Me: the tier card with growth progress, the profile, tasks, invites, orders, the
//! language switch and logout.

use leptos::{prelude::*, task::spawn_local};
use mall_core::{
    dto::{Order, OrderStatus},
    format::group_thousands,
    profile, ErrorCode,
};
use wasm_bindgen::JsValue;

use crate::{
    api::{self, ApiFailure},
    clipboard::copy_text,
    components::toast::use_toast,
    components::{
        paged::{Paged, PagedView},
        price::Price,
        states::{Empty, ListSkeleton},
    },
    i18n::{use_lang, use_lang_switch, Lang},
    intent::Intent,
    js,
    pages::me_profile::ProfileCard,
    session::{use_session, Auth},
    title::set_page_title,
};

/// The Me page.
#[component]
pub fn MePage() -> impl IntoView {
    let lang = use_lang();
    let switch = use_lang_switch();
    let session = use_session();
    set_page_title(|l| l.p().me_title.to_string());
    let orders = Paged::<Order>::new();
    // Bumped when the profile card credits points: the task list reads it again.
    let earned = RwSignal::new(0_u32);
    let load_more = move || orders.load_more(|cursor| async move { api::orders(cursor).await.map(|p| (p.orders, p.next_cursor)) });
    load_more();
    let sign_out = Intent::new(|(), _key: String| api::logout());
    let logout = move |_| {
        // Whatever the answer, the member is signed out here.
        sign_out.dispatch_then((), move |_| {
            session.me.set(None);
            session.auth.set(Auth::Out);
        });
    };

    view! {
        <section class="page me">
            {move || session.me.get().map(|me| {
                let l = lang;
                let (progress, next_line) = match &me.next_tier {
                    Some(next) => {
                        let span = (next.growth_from - me.tier_growth_from).max(1);
                        let pct = ((me.growth - me.tier_growth_from) * 100 / span).clamp(0, 100);
                        (pct, l.to_next_tier(next.tier, next.growth_from - me.growth))
                    }
                    None => (100, l.p().top_tier.to_string()),
                };
                view! {
                    <div class="tier-card" data-tier=me.tier.as_str()>
                        <p class="tier-card-name">{l.pick(&me.name)}</p>
                        <p class="tier-card-tier">{l.tier(me.tier)}</p>
                        <p class="num">{l.p().growth} " " {group_thousands(me.growth)}</p>
                        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=progress aria-label=next_line.clone()>
                            <span style=format!("width:{progress}%")></span>
                        </div>
                        <p class="tier-card-next">{next_line}</p>
                    </div>
                }
            })}

            <TierPerks />
            <ProfileCard earned />
            <Tasks earned />
            <InviteCard />

            <a class="card link-card" href="/lottery" data-testid="me-lottery">
                <span class="grow row-title">{lang.p().me_lottery}</span>
                <span aria-hidden="true">"›"</span>
            </a>
            <a class="card link-card" href="/causes" data-testid="me-causes">
                <span class="grow row-title">{lang.p().causes_title}</span>
                <span aria-hidden="true">"›"</span>
            </a>
            <a class="card link-card" href="/addresses" data-testid="me-addresses">
                <span class="grow row-title">{lang.p().addr_title}</span>
                <span aria-hidden="true">"›"</span>
            </a>

            <h2 class="section-title">{lang.p().my_orders}</h2>
            <PagedView paged=orders load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <ListSkeleton rows=3 /> }
                empty=move || view! {
                    <Empty message=lang.p().no_orders>
                        <a class="btn btn-outline" href="/catalog">{lang.t().go_redeem}</a>
                    </Empty>
                }>
                <ul class="list orders">
                        <For each=move || orders.items.get() key=|o| (o.id, o.status) let:order>
                            <li class="row order" data-testid="order">
                                <img src=order.image.clone() alt="" width="48" height="48" />
                                <span class="grow">
                                    <span class="row-title">{let n = order.item_name.clone(); lang.pick(&n)} " ×" {order.quantity}</span>
                                    <span class="row-sub"><Price points=order.points cash=order.cash /></span>
                                    {order.code.clone().map(|c| view! { <code class="row-code">{c}</code> })}
                                    <OrderShipping order=order.clone() />
                                </span>
                                <span class="order-side">
                                    <span class="status-pill" data-status=order.status.as_str()>{lang.order_status(order.status)}</span>
                                    {(order.status == OrderStatus::Pending).then(|| view! { <CancelButton order_id=order.id orders /> })}
                                    {(order.status == OrderStatus::AwaitingPayment).then(|| view! {
                                        <a class="btn btn-primary btn-sm" href=format!("/orders/{}", order.id) data-testid="order-pay">{lang.p().pay_now}</a>
                                    })}
                                </span>
                            </li>
                        </For>
                    </ul>
            </PagedView>

            <h2 class="section-title">{lang.t().language}</h2>
            <div class="seg" role="radiogroup" aria-label=lang.t().language>
                {[(Lang::Zh, "中文"), (Lang::En, "English")].into_iter().map(|(l, label)| view! {
                    <button role="radio" class="seg-btn" data-testid=format!("lang-{}", l.tag())
                        aria-checked=(lang == l).to_string()
                        on:click=move |_| switch.set(l)>{label}</button>
                }).collect_view()}
            </div>

            <button class="btn btn-outline btn-block logout" on:click=logout>{lang.t().logout}</button>
        </section>
    }
}

/// Every tier's perks, the member's own highlighted (numbers from `GET /api/rules`).
#[component]
fn TierPerks() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let rules = LocalResource::new(api::rules);
    view! {
        <h2 class="section-title">{lang.p().tier_perks}</h2>
        {move || rules.get().and_then(Result::ok).map(|rules| {
            let mine = session.me.get().map(|m| m.tier);
            view! {
                <ul class="perks">
                    {rules.perks.iter().map(|p| view! {
                        <li class="perk" data-tier=p.tier.as_str() class:mine={mine == Some(p.tier)}>
                            <span class="tier-pill" data-tier=p.tier.as_str()>{lang.tier(p.tier)}</span>
                            <span class="perk-from num">{lang.growth_from(rules.tiers.starts_at(p.tier))}</span>
                            <span class="perk-list">{lang.perk_lines(p).join(" · ")}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        })}
    }
}

/// Earning tasks with what is left today; a capped claim shows the reason. Nothing at
/// all when the shop offers none.
#[component]
fn Tasks(earned: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let toast = use_toast();
    let tasks = LocalResource::new(move || {
        earned.track();
        api::tasks()
    });
    let claiming = Intent::new(|task: String, key: String| async move { api::claim_task(&task, &key).await });
    let claim = move |task: String| {
        claiming.dispatch_then(task, move |outcome| match outcome {
            Ok(award) => {
                toast.show(lang.award_line(&award));
                session.refresh();
                tasks.refetch();
            }
            Err(f) => toast.show(lang.page_failure(&f)),
        });
    };
    // No tasks (the shop has self-claimed tasks switched off): no heading and no promise.
    view! {
        {move || tasks.get().and_then(Result::ok).filter(|list| !list.tasks.is_empty()).map(|list| view! {
            <h2 class="section-title">{lang.p().tasks_title}</h2>
            <p class="muted tasks-left">{lang.tasks_left(list.left_today)}</p>
            <ul class="list tasks">
                {list.tasks.into_iter().map(|t| {
                    let name = t.task.clone();
                    let testid = format!("task-{}", t.task);
                    let claimable = t.claimable;
                    view! {
                        <li class="row task" data-testid=testid>
                            <span class="grow">
                                <span class="row-title">{lang.task_name(&t.task)}</span>
                                <span class="row-sub">{lang.task_caps(&t)}</span>
                            </span>
                            {if profile::seen_by_mall(&t.task) {
                                // Paid when the profile is complete, not on a tap.
                                claimable.then(|| view! {
                                    <a class="btn btn-outline btn-sm" href="#profile" data-testid="task-profile-fill">
                                        {lang.p().profile_fill} " " {lang.points_plus(t.points)}
                                    </a>
                                }).into_any()
                            } else {
                                view! {
                                    <button class="btn btn-outline btn-sm" disabled=move || !claimable || claiming.pending()
                                        on:click=move |_| claim(name.clone())>
                                        {lang.points_plus(t.points)}
                                    </button>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The member's invite code (copy, share) with its share link (`{origin}/?invite=CODE`)
/// and, until it used one, a field for a friend's code, with every refusal said in words.
/// A code brought by an invite link (`/me?invite=CODE`, the server's redirect of
/// `/?invite=CODE`) is sent once,
/// when the card opens, and the card comes into view with the outcome.
#[component]
fn InviteCard() -> impl IntoView {
    let lang = use_lang();
    let toast = use_toast();
    let info = LocalResource::new(api::invite);
    let friend = RwSignal::new(String::new());
    // The form's own check (no code typed); the server's refusals come from the intent.
    let no_code = RwSignal::new(false);
    let accepting = Intent::new(|code: String, _key: String| async move { api::accept_invite(&code).await });
    let refusal = move || {
        if no_code.get() {
            return Some(lang.p().invite_enter);
        }
        match accepting.failure()?.code()? {
            ErrorCode::InviteInvalid => Some(lang.p().invite_invalid),
            ErrorCode::AlreadyInvited => Some(lang.p().invite_already),
            ErrorCode::InviteTooLate => Some(lang.p().invite_too_late),
            _ => None,
        }
    };
    // A link's code was answered: the card comes into view (again when it is re-read).
    let reveal = RwSignal::new(false);
    Effect::new(move || {
        if reveal.get() && info.with(Option::is_some) {
            reveal_invite_card();
        }
    });
    let send = move |code: String, from_link: bool| {
        accepting.dispatch_then(code, move |outcome| {
            match outcome {
                Ok(_) => {
                    toast.show(lang.p().invite_accepted);
                    info.refetch();
                }
                Err(ApiFailure::Refused {
                    code: ErrorCode::InviteInvalid | ErrorCode::AlreadyInvited | ErrorCode::InviteTooLate, ..
                }) => {}
                Err(f) => toast.show(lang.page_failure(&f)),
            }
            if from_link {
                reveal.try_set(true);
            }
        });
    };
    if let Some(code) = take_link_code() {
        friend.set(code.clone());
        send(code, true);
    }
    let accept = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = friend.get_untracked().trim().to_uppercase();
        no_code.set(code.is_empty());
        if code.is_empty() {
            accepting.clear();
            return;
        }
        send(code, false);
    };
    let refusal_line = move || refusal().map(|m| view! { <p class="field-error" role="alert" data-testid="invite-refusal">{m}</p> });
    view! {
        {move || info.get().and_then(Result::ok).map(|i| {
            let link = invite_link(&page_origin(), &i.code);
            let share = lang.invite_share(&i.code, &link);
            let copy = move |text: String| {
                spawn_local(async move {
                    let ok = copy_text(&text).await;
                    toast.show(if ok { lang.t().copied } else { lang.p().copy_failed });
                });
            };
            let copy_link = {
                let link = link.clone();
                move |_| copy(link.clone())
            };
            view! {
                <div class="card invite-card" data-testid="invite-card">
                    <div class="invite-top">
                        <span class="grow">
                            <span class="row-title">{lang.p().invite_title}</span>
                            <span class="row-sub">{lang.invite_line(i.accepted, i.credited)}</span>
                        </span>
                        <code class="invite-code" data-testid="invite-code">{i.code.clone()}</code>
                        <button type="button" class="btn btn-outline btn-sm" data-testid="invite-copy" on:click=move |_| copy(share.clone())>{lang.p().invite_copy}</button>
                    </div>
                    <div class="invite-share">
                        <span class="grow">
                            <span class="row-sub">{lang.p().invite_link}</span>
                            <span class="invite-link" data-testid="invite-link">{link.clone()}</span>
                        </span>
                        <button type="button" class="btn btn-outline btn-sm" data-testid="invite-copy-link" on:click=copy_link>{lang.p().invite_copy_link}</button>
                    </div>
                    {if i.invited {
                        view! {
                            <p class="row-sub" data-testid="invite-used">{lang.p().invite_used}</p>
                            {refusal_line}
                        }.into_any()
                    } else {
                        view! {
                            <form class="invite-form" on:submit=accept>
                                <label class="field"><span>{lang.p().invite_friend_code}</span>
                                    <input type="text" autocapitalize="characters" autocomplete="off" maxlength="8" data-testid="invite-input"
                                        prop:value=friend on:input=move |ev| friend.set(event_target_value(&ev)) />
                                </label>
                                <button type="submit" class="btn btn-primary btn-sm" data-testid="invite-accept" disabled=move || accepting.pending()>
                                    {lang.p().invite_use}
                                </button>
                                {refusal_line}
                                <p class="row-sub">{lang.p().invite_rules}</p>
                            </form>
                        }.into_any()
                    }}
                </div>
            }
        })}
    }
}

/// A member's share link: `https://mall.example/?invite=AB12CD34`.
fn invite_link(origin: &str, code: &str) -> String {
    format!("{}/?invite={code}", origin.trim_end_matches('/'))
}

/// The page's origin (`https://mall.example`), through `Reflect` (a `web-sys` binding
/// would be an import of the main module).
fn page_origin() -> String {
    let window: JsValue = web_sys::window().map(Into::into).unwrap_or_default();
    js::get(&js::get(&window, "location"), "origin").as_string().unwrap_or_default()
}

/// The code an invite link brought: the server's redirect of `/?invite=CODE` opened Me as
/// `/me?invite=CODE` (through the sign-in if needed). Taken once: the address loses it, so a reload, or Me opened
/// again, does not send it again. (Through `Reflect`: the main module's own calls to the
/// same `web-sys` functions would stop being inlined there.)
fn take_link_code() -> Option<String> {
    let window: JsValue = web_sys::window()?.into();
    let search = js::get(&js::get(&window, "location"), "search").as_string()?;
    let start = search.find("invite=")? + "invite=".len();
    let code: String = search[start..].chars().take_while(char::is_ascii_alphanumeric).take(32).collect();
    js::call(&js::get(&window, "history"), "replaceState", &[&JsValue::NULL, &"".into(), &"/me".into()]);
    Some(code.to_ascii_uppercase()).filter(|c| !c.is_empty())
}

/// Brings the invite card to the middle of the screen (the answer to a link's code), and
/// again a few times in the next seconds while the cards above it load: the page grows
/// above it, and at the top of a page the browser does not keep the place by itself. Once
/// the member has moved the page, it stays where they put it.
fn reveal_invite_card() {
    let placed_at = std::rc::Rc::new(std::cell::Cell::new(None::<f64>));
    for ms in [0, 300, 800, 1500, 2500] {
        let placed_at = placed_at.clone();
        set_timeout(
            move || {
                let Some(window) = web_sys::window() else { return };
                let scroll_y = || js::get(&window, "scrollY").as_f64();
                if placed_at.get().is_some_and(|y| Some(y) != scroll_y()) {
                    return;
                }
                let card = window.document().and_then(|d| d.query_selector("[data-testid=invite-card]").ok().flatten());
                if let Some(card) = card {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Center);
                    card.scroll_into_view_with_scroll_into_view_options(&options);
                    placed_at.set(scroll_y());
                }
            },
            std::time::Duration::from_millis(ms),
        );
    }
}

/// Where goods go and how they travel: the address copy, carrier and tracking number,
/// and the shop's reason when the shop cancelled it.
#[component]
fn OrderShipping(order: Order) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    view! {
        {order.ship_to.map(|to| view! {
            <span class="order-line" data-testid="order-address">{p.order_ship_to}{p.label_colon}{to.name}" "{to.phone}" · "{to.region}" "{to.detail}</span>
        })}
        {order.carrier.zip(order.tracking_no).map(|(c, t)| view! {
            <span class="order-line strong" data-testid="order-tracking">{lang.tracking_line(&c, &t)}</span>
        })}
        {(order.status == OrderStatus::Lapsed).then(|| view! {
            <span class="order-line" data-testid="order-lapsed">{p.order_lapsed_line}</span>
        })}
        {order.cancel_reason.map(|r| view! {
            <span class="order-line danger" data-testid="order-cancel-reason">{p.order_shop_cancelled}{r}</span>
        })}
    }
}

/// Cancels a pending order; the points return (the API refunds them into their lots).
#[component]
fn CancelButton(order_id: i64, orders: Paged<Order>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let toast = use_toast();
    let cancelling = Intent::new(|id: i64, key: String| async move { api::cancel_order(id, &key).await });
    let cancel = move |_| {
        cancelling.dispatch_then(order_id, move |outcome| match outcome {
            Ok(updated) => {
                toast.show(lang.refund_line(updated.points));
                orders.items.try_update(|list| {
                    if let Some(o) = list.iter_mut().find(|o| o.id == order_id) {
                        *o = updated;
                    }
                });
                session.refresh();
            }
            Err(f) => toast.show(lang.page_failure(&f)),
        });
    };
    view! {
        <button class="btn btn-outline btn-sm" data-testid="cancel-order" disabled=move || cancelling.pending() on:click=cancel>
            {lang.t().cancel_order}
        </button>
    }
}
