// The user project built as the README says: its generated kernel suite must have run, SIMD included.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.MomentumSgdKernelTests.xml')
assert report.isFile() : "Surefire ran no MomentumSgdKernelTests: the generated suite was not found by the default includes"
def suite = new groovy.xml.XmlSlurper().parse(report)
int tests = suite.@tests.toInteger()
int skipped = suite.@skipped.toInteger()
int failures = suite.@failures.toInteger() + suite.@errors.toInteger()
// 12 scalar kernels, the SIMD kernels, the bad-call property
assert tests >= 14 : "MomentumSgdKernelTests ran only ${tests} properties"
assert skipped == 0 : "${skipped} properties were skipped (simdKernels needs --add-modules jdk.incubator.vector)"
assert failures == 0
assert suite.testcase.find { it.@name.text().startsWith('simdKernels') }.size() == 1
def usage = new File(basedir, 'target/surefire-reports/TEST-com.example.UsageExampleTest.xml')
assert usage.isFile()
println "README user project: MomentumSgdKernelTests ran ${tests} properties, none skipped, none failed"
return true
