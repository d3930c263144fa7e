//===- Specialize.cpp - Triton's binding and specialization key -----------===//
//
// Mirrors Triton 3.6's binder (`create_function_from_signature`) and its
// argument specialization: tensors by dtype and 16-byte alignment, integers
// by width, divisibility by 16 and the value 1, bools and floats by type,
// None and constexprs by value. Anything else leaves the fast path.
//
//===----------------------------------------------------------------------===//

#include "Specialize.h"

#include <climits>
#include <cstring>
#include <unordered_map>

namespace flagtree::launcher {

TritonTypes &TritonTypes::get() {
  static TritonTypes *types = [] {
    auto *t = new TritonTypes();
    nb::module_ language = nb::module_::import_("triton.language");
    t->constexprType = language.attr("constexpr");
    t->tlDtypeType = language.attr("dtype");
    t->canonicalizePtrDtype =
        nb::module_::import_("triton._utils").attr("canonicalize_ptr_dtype");
    nb::module_ torch = nb::module_::import_("torch");
    t->torchTensorType = torch.attr("Tensor");
    t->torchParameterType = torch.attr("nn").attr("Parameter");
    t->torchDtypeType = torch.attr("dtype");
    auto intern = [](const char *s) {
      return nb::steal(PyUnicode_InternFromString(s));
    };
    t->strConstexpr = intern("constexpr");
    t->strI32 = intern("i32");
    t->strI64 = intern("i64");
    t->strU64 = intern("u64");
    t->strU1 = intern("u1");
    t->strFp32 = intern("fp32");
    t->strEmpty = intern("");
    t->strD = intern("D");
    t->attrDtype = intern("dtype");
    t->attrDataPtr = intern("data_ptr");
    return t;
  }();
  return *types;
}

namespace {

bool sameName(PyObject *a, PyObject *b) {
  if (a == b)
    return true;
  // Two interned strings are equal only when they are the same object
  // (parameter and keyword names are interned by the compiler).
  if (PyUnicode_CHECK_INTERNED(a) && PyUnicode_CHECK_INTERNED(b))
    return false;
  return PyUnicode_Compare(a, b) == 0;
}

PyObject *internedName(const char *s) {
  return PyUnicode_InternFromString(s); // kept for the process's lifetime
}

/// Sets `slot` to `value`, failing when the parameter is bound twice.
bool bindName(const std::vector<ParamInfo> &params, PyObject *name,
              PyObject *value, BoundCall &call) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (!sameName(params[i].name.ptr(), name))
      continue;
    if (call.values[i])
      return false;
    call.values[i] = value;
    return true;
  }
  if (PyErr_Occurred())
    return false;
  if (call.numOptions == kMaxParams)
    return false;
  call.optionNames[call.numOptions] = name;
  call.optionValues[call.numOptions] = value;
  ++call.numOptions;
  return true;
}

/// Reads a tensor's dtype and data pointer as Triton's specialization does.
bool classifyTensor(PyObject *value, const ParamInfo &param, ArgClass &cls) {
  TritonTypes &types = TritonTypes::get();
  PyObject *dtype = PyObject_GetAttr(value, types.attrDtype.ptr());
  if (!dtype)
    return false;
  // torch dtypes are module-level singletons: the pointer stays valid.
  cls.dtype = dtype;
  Py_DECREF(dtype);
  PyObject *ptr = PyObject_CallMethodNoArgs(value, types.attrDataPtr.ptr());
  if (!ptr)
    return false;
  cls.dataPtr = PyLong_AsUnsignedLongLong(ptr);
  Py_DECREF(ptr);
  if (PyErr_Occurred())
    return false;
  cls.kind = ArgKind::Tensor;
  cls.spec = !param.specialize                      ? 0
             : (param.align && !(cls.dataPtr & 15)) ? 2
                                                    : 1;
  return true;
}

bool classifyInt(PyObject *value, const ParamInfo &param, ArgClass &cls) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
  if (PyErr_Occurred())
    return false;
  if (param.specialize && overflow == 0 && v == 1) {
    cls.kind = ArgKind::One;
    return true;
  }
  uint64_t bits;
  if (overflow == 0) {
    cls.intType = (v >= INT32_MIN && v <= INT32_MAX) ? 0 : 1;
    bits = static_cast<uint64_t>(v);
  } else if (overflow > 0) {
    bits = PyLong_AsUnsignedLongLong(value);
    if (PyErr_Occurred())
      return false; // Triton raises OverflowError for it
    cls.intType = 2;
  } else {
    return false;
  }
  cls.kind = ArgKind::Int;
  cls.spec = !param.specialize ? 0 : (param.align && !(bits & 15)) ? 2 : 1;
  return true;
}

bool classify(PyObject *value, const ParamInfo &param, ArgClass &cls) {
  cls = ArgClass();
  if (param.isConstexpr)
    return true;
  if (param.annotationOnly) {
    cls.kind = ArgKind::AnnotatedOnly;
    return true;
  }
  TritonTypes &types = TritonTypes::get();
  PyTypeObject *type = Py_TYPE(value);
  PyObject *typeObj = reinterpret_cast<PyObject *>(type);
  if (typeObj == types.torchTensorType.ptr() ||
      typeObj == types.torchParameterType.ptr())
    return classifyTensor(value, param, cls);
  if (PyLong_CheckExact(value))
    return classifyInt(value, param, cls);
  if (PyBool_Check(value)) {
    cls.kind = ArgKind::Bool;
    return true;
  }
  if (PyFloat_CheckExact(value)) {
    cls.kind = ArgKind::Float;
    return true;
  }
  if (value == Py_None)
    return true;
  if (PyObject_TypeCheck(
          value, reinterpret_cast<PyTypeObject *>(types.constexprType.ptr())))
    return true;
  return false;
}

void appendBytes(std::string &key, const void *data, size_t size) {
  key.append(static_cast<const char *>(data), size);
}

template <typename T> void appendPod(std::string &key, T value) {
  appendBytes(key, &value, sizeof(T));
}

/// A value whose `repr` is a function of the bytes appended: equal bytes,
/// equal text in Triton's key. Objects named by identity are recorded.
bool encodeValue(PyObject *value, std::string &key,
                 std::vector<PyObject *> &identities, int depth = 0) {
  TritonTypes &types = TritonTypes::get();
  if (value == Py_None) {
    key += 'n';
  } else if (value == Py_True || value == Py_False) {
    key += value == Py_True ? 't' : 'f';
  } else if (PyLong_CheckExact(value)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (PyErr_Occurred() || overflow)
      return false;
    key += 'i';
    appendPod(key, v);
  } else if (PyFloat_CheckExact(value)) {
    key += 'd';
    appendPod(key, PyFloat_AS_DOUBLE(value));
  } else if (PyUnicode_CheckExact(value)) {
    Py_ssize_t size = 0;
    const char *text = PyUnicode_AsUTF8AndSize(value, &size);
    if (!text)
      return false;
    key += 's';
    appendPod(key, static_cast<uint64_t>(size));
    appendBytes(key, text, static_cast<size_t>(size));
  } else if (Py_TYPE(value) ==
                 reinterpret_cast<PyTypeObject *>(types.torchDtypeType.ptr()) ||
             PyObject_TypeCheck(value, reinterpret_cast<PyTypeObject *>(
                                           types.tlDtypeType.ptr()))) {
    key += 'p';
    appendPod(key, reinterpret_cast<uintptr_t>(value));
    identities.push_back(value);
  } else if (PyTuple_CheckExact(value) && depth < 4) {
    key += 'u';
    Py_ssize_t size = PyTuple_GET_SIZE(value);
    appendPod(key, static_cast<uint64_t>(size));
    for (Py_ssize_t i = 0; i < size; ++i)
      if (!encodeValue(PyTuple_GET_ITEM(value, i), key, identities, depth + 1))
        return false;
  } else if (PyObject_TypeCheck(value, reinterpret_cast<PyTypeObject *>(
                                           types.constexprType.ptr())) &&
             depth < 4) {
    // repr(constexpr) spells its type's name and its value.
    key += 'c';
    appendPod(key, reinterpret_cast<uintptr_t>(Py_TYPE(value)));
    PyObject *inner = PyObject_GetAttrString(value, "value");
    if (!inner)
      return false;
    bool ok = encodeValue(inner, key, identities, depth + 1);
    Py_DECREF(inner);
    return ok;
  } else {
    return false;
  }
  return true;
}

nb::object typeString(PyObject *dtype, bool isConst) {
  // Never destroyed: a static destructor would release Python objects
  // after the interpreter has finalized.
  static auto *cache = new std::unordered_map<uintptr_t, nb::object>();
  uintptr_t slot = reinterpret_cast<uintptr_t>(dtype) | (isConst ? 1 : 0);
  auto it = cache->find(slot);
  if (it != cache->end())
    return it->second;
  nb::object text = TritonTypes::get().canonicalizePtrDtype(nb::handle(dtype),
                                                            nb::bool_(isConst));
  cache->emplace(slot, text);
  return text;
}

nb::object specObject(uint8_t spec) {
  TritonTypes &types = TritonTypes::get();
  return spec == 0 ? nb::none() : spec == 2 ? types.strD : types.strEmpty;
}

} // namespace

PackedCallArgs::PackedCallArgs(PyObject *args, PyObject *kwargs) {
  Py_ssize_t nargs = PyTuple_GET_SIZE(args);
  for (Py_ssize_t i = 0; i < nargs; ++i)
    items.push_back(PyTuple_GET_ITEM(args, i));
  if (!kwargs || !PyDict_GET_SIZE(kwargs))
    return;
  PyObject *names = PyTuple_New(PyDict_GET_SIZE(kwargs));
  if (!names)
    throw nb::python_error();
  kwnames = nb::steal(names);
  Py_ssize_t pos = 0, i = 0;
  PyObject *name, *value;
  while (PyDict_Next(kwargs, &pos, &name, &value)) {
    Py_INCREF(name);
    PyTuple_SET_ITEM(names, i++, name);
    items.push_back(value);
  }
}

CallArgs PackedCallArgs::view() const {
  CallArgs view;
  view.args = items.data();
  view.nargs =
      items.size() - (kwnames.is_valid() ? PyTuple_GET_SIZE(kwnames.ptr()) : 0);
  view.kwnames = kwnames.is_valid() ? kwnames.ptr() : nullptr;
  return view;
}

bool bindCall(const std::vector<ParamInfo> &params, const CallArgs &args,
              const RunOptions &run, BoundCall &call) {
  static PyObject *debugName = internedName("debug");
  static PyObject *instrumentationName = internedName("instrumentation_mode");
  size_t n = params.size();
  if (n > kMaxParams || args.nargs > n)
    return false;
  call.numParams = n;
  call.numOptions = 0;
  call.identities.clear();
  for (size_t i = 0; i < n; ++i)
    call.values[i] = i < args.nargs ? args.args[i] : nullptr;
  bool sawDebug = false, sawInstrumentation = false;
  auto debugValue = [&](PyObject *given) -> PyObject * {
    int truth = PyObject_IsTrue(given);
    if (truth < 0)
      return nullptr;
    return truth ? given : run.knobDebug;
  };
  size_t numKeywords = args.numKeywords();
  for (size_t k = 0; k < numKeywords; ++k) {
    PyObject *name = PyTuple_GET_ITEM(args.kwnames, k);
    PyObject *value = args.args[args.nargs + k];
    if (!PyUnicode_Check(name))
      return false;
    if (sameName(name, debugName)) {
      sawDebug = true;
      value = debugValue(value);
    } else if (sameName(name, instrumentationName)) {
      sawInstrumentation = true;
      value = run.instrumentation;
    }
    if (!value || !bindName(params, name, value, call)) {
      PyErr_Clear();
      return false;
    }
  }
  if (!sawDebug) {
    PyObject *value = debugValue(run.jitDebug);
    if (!value || !bindName(params, debugName, value, call)) {
      PyErr_Clear();
      return false;
    }
  }
  if (!sawInstrumentation &&
      !bindName(params, instrumentationName, run.instrumentation, call)) {
    PyErr_Clear();
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!call.values[i]) {
      if (!params[i].hasDefault)
        return false;
      call.values[i] = params[i].defaultValue.ptr();
    }
    if (!classify(call.values[i], params[i], call.classes[i])) {
      PyErr_Clear();
      return false;
    }
  }
  return true;
}

bool encodeKey(const std::vector<ParamInfo> &params, const BoundCall &call,
               long device, std::string &key) {
  auto &identities = const_cast<BoundCall &>(call).identities;
  appendPod(key, static_cast<int64_t>(device));
  for (size_t i = 0; i < call.numParams; ++i) {
    const ArgClass &cls = call.classes[i];
    PyObject *value = call.values[i];
    if (params[i].isConstexpr) {
      key += 'K';
      if (!encodeValue(value, key, identities))
        return false;
      continue;
    }
    switch (cls.kind) {
    case ArgKind::Constexpr:
      key += 'C';
      if (!encodeValue(value, key, identities))
        return false;
      break;
    case ArgKind::Tensor:
      key += 'T';
      appendPod(key, reinterpret_cast<uintptr_t>(cls.dtype));
      key += static_cast<char>(cls.spec);
      break;
    case ArgKind::Int:
      key += 'I';
      key += static_cast<char>(cls.intType);
      key += static_cast<char>(cls.spec);
      break;
    case ArgKind::One:
      key += '1';
      break;
    case ArgKind::Bool:
      key += 'B';
      break;
    case ArgKind::Float:
      key += 'F';
      break;
    case ArgKind::AnnotatedOnly:
      key += 'A';
      break;
    }
  }
  for (size_t i = 0; i < call.numOptions; ++i) {
    key += 'O';
    if (!encodeValue(call.optionNames[i], key, identities) ||
        !encodeValue(call.optionValues[i], key, identities))
      return false;
  }
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return false;
  }
  return true;
}

nb::dict boundArgsDict(const std::vector<ParamInfo> &params,
                       const BoundCall &call) {
  nb::dict bound;
  for (size_t i = 0; i < call.numParams; ++i)
    bound[params[i].name] = nb::handle(call.values[i]);
  return bound;
}

nb::tuple renderTriton(const std::vector<ParamInfo> &params,
                       const BoundCall &call) {
  TritonTypes &types = TritonTypes::get();
  nb::list specialization;
  for (size_t i = 0; i < call.numParams; ++i) {
    const ParamInfo &param = params[i];
    const ArgClass &cls = call.classes[i];
    nb::handle value(call.values[i]);
    if (param.isConstexpr) {
      specialization.append(nb::make_tuple(types.strConstexpr, value));
      continue;
    }
    if (cls.kind == ArgKind::AnnotatedOnly) {
      specialization.append(nb::make_tuple(param.annotation, nb::none()));
      continue;
    }
    nb::object type, key;
    switch (cls.kind) {
    case ArgKind::Tensor:
      type = typeString(cls.dtype, param.isConst);
      key = specObject(cls.spec);
      break;
    case ArgKind::Int:
      type = cls.intType == 0   ? types.strI32
             : cls.intType == 1 ? types.strI64
                                : types.strU64;
      key = specObject(cls.spec);
      break;
    case ArgKind::Bool:
      type = types.strU1;
      key = nb::none();
      break;
    case ArgKind::Float:
      type = types.strFp32;
      key = nb::none();
      break;
    default: // constexpr values and the specialized 1
      type = types.strConstexpr;
      key = nb::borrow(value);
      break;
    }
    if (!param.annotation.is_none())
      type = param.annotation;
    specialization.append(nb::make_tuple(type, key));
  }
  nb::dict options;
  for (size_t i = 0; i < call.numOptions; ++i)
    options[nb::handle(call.optionNames[i])] = nb::handle(call.optionValues[i]);
  return nb::make_tuple(boundArgsDict(params, call), specialization, options);
}

} // namespace flagtree::launcher
