s1 = "Hello"
s2 = s1  # a second name for the same object: nothing is borrowed, copied or moved

print(s2)
print(s1)

s3 = s1  # still no move: s1 stays usable, as there is no owner to hand over
s3 += ", world"  # str is immutable, so += makes a new object and rebinds s3 alone
print(s3)
print(s1)

parts = ["Hello"]
alias = parts  # a list is mutable, and both names reach the same list
alias.append("world")  # Python allows a change through one name while another looks on
print(parts)
