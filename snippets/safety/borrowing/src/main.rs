fn main() {
    let s1 = String::from("Hello");
    let s2 = &s1; // a shared borrow: s2 can read the String, s1 still owns it

    println!("{s2}");
    println!("{s1}"); // fine: any number of shared borrows may coexist with reads of the owner

    let mut s3 = s1; // a move: s3 owns the String now, and s1 may not be used again
    let r = &mut s3; // a mutable borrow: while it is in use, nothing else may touch s3
    r.push_str(", world");
    println!("{s3}"); // fine: the mutable borrow ended at its last use, on the line above
}
