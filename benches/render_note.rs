//! How long a large summary note takes to render as .docx: 40 attendees,
//! 12 agenda items with 6 discussion points each, 30 actions.
//!
//! Run with `cargo bench --bench render_note`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use minutebook::notes::render::render;

#[path = "../tests/support/large_note.rs"]
mod large_note;

fn bench_render(c: &mut Criterion) {
    let note = large_note::large_note();
    c.bench_function("render large summary note", |b| {
        b.iter(|| render(black_box(&note)).expect("renders"))
    });
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
