//! A read a form asks for (a range of days, a search): [`Asked::ask`] loads it, again
//! even for the same query; until the answer to the latest asking arrives it is
//! [`Asked::pending`] (the form's button waits on that: pages keep no `busy` flag) and
//! the previous answer stays. Built on a [`LocalResource`] keyed on what was asked.

use std::future::Future;

use leptos::prelude::*;

/// See the module's documentation.
pub struct Asked<Q: Send + Sync + 'static, T: 'static> {
    /// How many times it was asked, and the latest query.
    asked: RwSignal<(u32, Option<Q>)>,
    /// The answer, with the asking it answers.
    answer: LocalResource<(u32, Option<T>)>,
}

impl<Q: Send + Sync + 'static, T: 'static> Clone for Asked<Q, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Q: Send + Sync + 'static, T: 'static> Copy for Asked<Q, T> {}

impl<Q: Clone + Send + Sync + 'static, T: Clone + 'static> Asked<Q, T> {
    /// A read made with `fetch(query)`; nothing is read until the first [`Asked::ask`].
    pub fn new<F, Fut>(fetch: F) -> Self
    where
        F: Fn(Q) -> Fut + 'static,
        Fut: Future<Output = T> + 'static,
    {
        let asked = RwSignal::new((0, None::<Q>));
        let answer = LocalResource::new(move || {
            let (n, query) = asked.get();
            let read = query.map(&fetch);
            async move {
                match read {
                    Some(read) => (n, Some(read.await)),
                    None => (n, None),
                }
            }
        });
        Asked { asked, answer }
    }

    /// Reads `query` (again, if it is the same).
    pub fn ask(&self, query: Q) {
        self.asked.update(|(n, q)| {
            *n += 1;
            *q = Some(query);
        });
    }

    /// Whether the answer to the latest asking is on its way (tracked).
    pub fn pending(&self) -> bool {
        let n = self.asked.with(|(n, _)| *n);
        n != 0 && self.answer.with(|a| a.as_ref().map(|(got, _)| *got)) != Some(n)
    }

    /// The latest answer, `None` until the first one (tracked).
    pub fn get(&self) -> Option<T> {
        self.answer.with(|a| a.as_ref().and_then(|(_, t)| t.clone()))
    }

    /// The latest query, `None` until asked (tracked).
    pub fn query(&self) -> Option<Q> {
        self.asked.with(|(_, q)| q.clone())
    }

    /// Changes the latest answer in place (an edit shows in a list at once).
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.answer.update(|a| {
            if let Some((_, Some(t))) = a {
                f(t);
            }
        });
    }
}
