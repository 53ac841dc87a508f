//! The pipeline panel (runs with `[pipeline]` only): the consume-transform-produce
//! application's guarantee, each instance (consumer + producer) with its phase, and the
//! exactly-once verdict summed over the inputs it processed (R6.8).

use std::rc::Rc;

use highwater_core::read_model::PipelineView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PipelineProps {
    pub pipeline: Rc<PipelineView>,
}

#[function_component(PipelinePanel)]
pub fn pipeline_panel(props: &PipelineProps) -> Html {
    let p = &*props.pipeline;
    let rows = p.instances.iter().map(|i| {
        html! {
            <tr data-consumer={i.consumer.to_string()} data-phase={i.phase_text.clone()}>
                <td>{ format!("c{} + p{}", i.consumer, i.producer) }</td>
                <td class={classes!((i.phase_text.starts_with("fenced") || i.phase_text == "down").then_some("fatal"))}>
                    { i.phase_text.clone() }
                </td>
                <td>{ i.commits }</td>
                <td>{ i.aborts }</td>
            </tr>
        }
    });
    let verdict = if p.duplicated > 0 {
        html! { <span class="bad">{ format!("{} with duplicate outputs", p.duplicated) }</span> }
    } else {
        html! { <span class="ok">{ "no duplicate output" }</span> }
    };
    html! {
        <section class="panel pipeline-panel" aria-labelledby="pipeline-title"
                 data-once={p.once.to_string()} data-duplicated={p.duplicated.to_string()}>
            <div class="panel-head">
                <h2 id="pipeline-title">{ "Pipeline" }</h2>
                <span class="panel-note">{ format!("{} → {} · {}", p.input, p.output, p.guarantee) }</span>
            </div>
            <div class="panel-body">
                <p class="pipeline-verdict">
                    { format!("{} inputs processed · {} output once · ", p.processed, p.once) }
                    { verdict }
                    if p.pending > 0 { { format!(" · {} not visible yet", p.pending) } }
                    if p.external_write {
                        if p.external_duplicates > 0 {
                            <span class="warn">{ format!(" · {} written twice to the external system", p.external_duplicates) }</span>
                        } else {
                            { " · external writes once each" }
                        }
                    }
                </p>
                <p class="panel-note">{ "Outputs counted as a read_committed reader of the output topic sees them." }</p>
                <table class="pipeline-instances">
                    <thead><tr>
                        <th scope="col">{ "instance" }</th><th scope="col">{ "phase" }</th>
                        <th scope="col">{ "commits" }</th><th scope="col">{ "aborts" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
