//! `highwater bench`: simulated events per second on a busy cluster (5 brokers, 10 partitions,
//! continuous producing from 3 producers, random faults).

use std::process::ExitCode;
use std::time::Instant;

use highwater_core::bench::busy_cluster_run;

pub fn main(args: &[String]) -> ExitCode {
    let mut seconds = 3.0f64;
    if let [flag, v] = args {
        if flag == "--seconds" {
            if let Ok(s) = v.parse() {
                seconds = s;
            }
        }
    } else if !args.is_empty() {
        eprintln!("usage: highwater bench [--seconds S]");
        return ExitCode::from(2);
    }
    let start = Instant::now();
    let mut events = 0u64;
    let mut runs = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        events += busy_cluster_run(runs + 1, 200_000);
        runs += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "busy cluster (5 brokers, 10 partitions, RF 3, 3 producers, random faults): {events} events in {secs:.2} s over {runs} runs = {:.0} events/s",
        events as f64 / secs
    );
    ExitCode::SUCCESS
}
