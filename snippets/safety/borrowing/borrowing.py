s1 = "Hello"
s2 = s1  # a second name for the same object: no borrow, copy or move

print(s2)
print(s1)

s3 = s1  # still no move: there is no owner, and s1 stays usable
s3 += ", world"  # str is immutable: += builds a new str for s3 alone
print(s3)
print(s1)

parts = ["Hello"]
alias = parts  # both names reach the same list, which is mutable
alias.append("world")  # a change through one name shows in the other
print(parts)
