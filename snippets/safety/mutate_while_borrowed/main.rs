fn main() {
    let mut jobs = vec!["a", "b", "c", "d"];
    for job in &jobs {
        if *job == "a" || *job == "b" {
            jobs.retain(|j| j != job);
        }
    }
    println!("{jobs:?}");
}
