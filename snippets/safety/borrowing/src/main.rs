fn main() {
    let s1 = String::from("Hello");
    let s2 = &s1; // a shared borrow: s2 reads the String, s1 owns it

    println!("{s2}");
    println!("{s1}"); // fine: shared borrows and reads of the owner mix

    let mut s3 = s1; // a move: s3 owns the String, s1 is unusable now
    let r = &mut s3; // a mutable borrow: while in use, it is the only one
    r.push_str(", world");
    println!("{s3}"); // fine: the mutable borrow ended at its last use
}
