//! Today's flash sales, fetched once per signed-in visit and shared by the home teaser,
//! the sales page and the reminder watcher, so a reminder set on one page is known to
//! all of them and `/api/sales` is not fetched three times.

use leptos::prelude::*;
use mall_core::sales::SaleDay;

use crate::api::{self, ApiResult};

/// The shared resource; `refetch` after anything that changes a sale (grab, reminder).
#[derive(Clone, Copy)]
pub struct SalesToday(pub LocalResource<ApiResult<SaleDay>>);

impl SalesToday {
    /// Creates the resource and puts it in context for the signed-in views.
    pub fn provide() -> SalesToday {
        let feed = SalesToday(LocalResource::new(api::sales));
        provide_context(feed);
        feed
    }

    /// Today's sales, or `None` while the first load is under way.
    pub fn get(&self) -> Option<ApiResult<SaleDay>> {
        self.0.get()
    }

    /// Loads again (the previous answer stays on screen meanwhile).
    pub fn refetch(&self) {
        self.0.refetch();
    }
}

/// The shared resource (provided by the signed-in shell).
pub fn use_sales_today() -> SalesToday {
    expect_context()
}
