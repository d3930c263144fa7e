//===- Specialize.h - Triton's binding and specialization key -----*- C++
//-*-===//
//
// A kernel's parameters, the binding of a call's arguments to them, and the
// compact key that identifies Triton 3.6's specialization of the call: two
// calls with equal keys have equal Triton cache keys. The same
// classification renders Triton's own (specialization, options) for checks.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LAUNCHER_SPECIALIZE_H
#define FLAGTREE_LAUNCHER_SPECIALIZE_H

#include <Python.h>

#include <nanobind/nanobind.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace flagtree::launcher {

namespace nb = nanobind;

/// The most parameters (and options) a call may have on the fast path.
constexpr size_t kMaxParams = 64;

/// How Triton's binder treats one parameter of a `@triton.jit` function.
struct ParamInfo {
  nb::object name; ///< str
  bool isConstexpr = false;
  bool isConst = false;
  bool specialize = true; ///< false under do_not_specialize
  bool align = true;      ///< false under do_not_specialize_on_alignment
  /// Triton's annotation type ("i32", "*fp16", ...) or None.
  nb::object annotation;
  /// The annotation replaces the value's type and drops its key (bools and
  /// floats are never specialized).
  bool annotationOnly = false;
  nb::object defaultValue;
  bool hasDefault = false;
};

/// What classifying one argument found (for the key, the rendering, and the
/// launch, which reuses the data pointer read here).
enum class ArgKind : uint8_t {
  Constexpr, ///< constexpr parameter, None, or a tl.constexpr value
  Tensor,
  Int,
  One, ///< the integer 1, specialized as a constant
  Bool,
  Float,
  AnnotatedOnly,
};

struct ArgClass {
  ArgKind kind = ArgKind::Constexpr;
  PyObject *dtype = nullptr; ///< borrowed from the interned torch dtype
  uint8_t intType = 0;       ///< 0 i32, 1 i64, 2 u64
  uint8_t spec = 0;          ///< 0 None, 1 "", 2 "D"
  uint64_t dataPtr = 0;      ///< tensors
};

/// One call bound to the parameters. Values are borrowed from the caller's
/// arguments, the kernel's defaults, and the knobs read for the call.
struct BoundCall {
  size_t numParams = 0;
  std::array<PyObject *, kMaxParams> values{};
  std::array<ArgClass, kMaxParams> classes{};
  size_t numOptions = 0;
  std::array<PyObject *, kMaxParams> optionNames{};
  std::array<PyObject *, kMaxParams> optionValues{};
  /// Objects the key names by identity (dtypes); pinned by a table entry.
  std::vector<PyObject *> identities;
  /// Owned references taken while binding (knob values).
  std::vector<nb::object> owned;
};

/// Python objects the classification needs, imported once.
struct TritonTypes {
  nb::object constexprType;   ///< triton.language.constexpr
  nb::object tlDtypeType;     ///< triton.language.dtype
  nb::object torchTensorType; ///< torch.Tensor, or None
  nb::object torchParameterType;
  nb::object torchDtypeType;
  nb::object canonicalizePtrDtype;
  nb::object strConstexpr, strI32, strI64, strU64, strU1, strFp32, strEmpty,
      strD;
  nb::object attrDtype, attrDataPtr;
  static TritonTypes &get();
};

/// The options `JITFunction.run` adds to every call's keywords.
struct RunOptions {
  PyObject *jitDebug;        ///< the kernel's `debug`
  PyObject *knobDebug;       ///< knobs.runtime.debug
  PyObject *instrumentation; ///< knobs.compilation.instrumentation_mode
};

/// A call's arguments in vectorcall form: `nargs` positional values, then
/// the values of the keywords named by `kwnames` (a tuple, or NULL).
struct CallArgs {
  PyObject *const *args = nullptr;
  size_t nargs = 0;
  PyObject *kwnames = nullptr;

  size_t numKeywords() const {
    return kwnames ? static_cast<size_t>(PyTuple_GET_SIZE(kwnames)) : 0;
  }
};

/// CallArgs of a tuple and a dict (or NULL), with the storage they need.
struct PackedCallArgs {
  std::vector<PyObject *> items;
  nb::object kwnames;
  PackedCallArgs(PyObject *args, PyObject *kwargs);
  CallArgs view() const;
};

/// Binds a call as Triton's binder does after `run` added `debug` and
/// `instrumentation_mode` to the keywords. False when the call is not for
/// the fast path (unknown types, binding errors: Triton's own path then
/// reports them); no Python error is left set.
bool bindCall(const std::vector<ParamInfo> &params, const CallArgs &args,
              const RunOptions &run, BoundCall &call);

/// Appends the key of a bound call to `key`.
bool encodeKey(const std::vector<ParamInfo> &params, const BoundCall &call,
               long device, std::string &key);

/// Triton's view of a bound call: (bound_args dict, specialization list,
/// options dict), equal to what its binder returns for the same call.
nb::tuple renderTriton(const std::vector<ParamInfo> &params,
                       const BoundCall &call);

/// `{name: value}` of the bound call, as a callable grid receives it.
nb::dict boundArgsDict(const std::vector<ParamInfo> &params,
                       const BoundCall &call);

} // namespace flagtree::launcher

#endif // FLAGTREE_LAUNCHER_SPECIALIZE_H
