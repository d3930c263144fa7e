//===- Module.cpp - flagtree.launcher._launcher ---------------------------===//
//
// The fast path of `kernel[grid](...)`: binds the call, builds its
// specialization key, finds the kernel Triton compiled for it and launches
// it. Whatever it does not handle (launch or pre-run hooks, a first call,
// unusual arguments, warmup) goes to the slow path set by configure(),
// which runs Triton's own `JITFunction.run` and registers what it compiled.
//
//===----------------------------------------------------------------------===//

#include "Launch.h"
#include "Specialize.h"

#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>

#include <structmember.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace nb = nanobind;
using namespace flagtree::launcher;

namespace {

/// Table entries per kernel before the table starts over (a kernel called
/// with ever-new constexpr values must not grow without bound).
constexpr size_t kMaxEntries = 4096;

struct Runtime {
  nb::object knobsRuntime, knobsCompilation, driverConfig, hookChainType;
  nb::object slowPath;
  nb::object torchCurrentDevice, torchGetDevice;
  nb::object nState, nPreRunHooks, nUsedGlobals, nDeviceCaches, nDebug,
      nEnterHook, nExitHook, nCalls, nActive, nActiveProperty, nGetDevice,
      nGetStream, nInstrumentation;
  bool configured = false;
};

Runtime &runtime() {
  static Runtime *rt = new Runtime(); // lives as long as the process
  return *rt;
}

nb::object intern(const char *s) {
  return nb::steal(PyUnicode_InternFromString(s));
}

/// The per-kernel state, kept in the JITFunction's `_flagtree_launcher`.
struct KernelState {
  std::vector<ParamInfo> params;
  std::unordered_map<std::string, std::shared_ptr<Entry>> table;
  uint64_t fastLaunches = 0;
  uint64_t slowCalls = 0;
};

/// What a call reads besides its arguments, as `JITFunction.run` does.
struct CallContext {
  nb::object active, device, jitDebug, knobDebug, instrumentation;
  long deviceIndex = 0;
};

nb::object getAttr(PyObject *obj, const nb::object &name) {
  PyObject *value = PyObject_GetAttr(obj, name.ptr());
  if (!value)
    PyErr_Clear();
  return nb::steal(value);
}

/// An attribute a JITFunction keeps in its instance dict, read there
/// directly (no type lookup); other objects go through getattr.
nb::object jitAttr(PyObject *jitfn, const nb::object &name) {
  PyObject **dictSlot = _PyObject_GetDictPtr(jitfn);
  if (dictSlot && *dictSlot) {
    PyObject *value = PyDict_GetItemWithError(*dictSlot, name.ptr());
    if (value)
      return nb::borrow(value);
    PyErr_Clear();
  }
  return getAttr(jitfn, name);
}

/// True when a launch hook is installed (an empty HookChain is none).
bool hookInstalled(const nb::object &hook) {
  Runtime &rt = runtime();
  if (!hook.is_valid())
    return true;
  if (hook.is_none())
    return false;
  if (hook.type().ptr() != rt.hookChainType.ptr())
    return true;
  nb::object calls = getAttr(hook.ptr(), rt.nCalls);
  return !calls.is_valid() || !PyList_Check(calls.ptr()) ||
         PyList_GET_SIZE(calls.ptr()) != 0;
}

bool readContext(PyObject *jitfn, CallContext &ctx) {
  Runtime &rt = runtime();
  nb::object hooks = jitAttr(jitfn, rt.nPreRunHooks);
  if (!hooks.is_valid() || !PyList_Check(hooks.ptr()) ||
      PyList_GET_SIZE(hooks.ptr()) != 0)
    return false;
  if (hookInstalled(getAttr(rt.knobsRuntime.ptr(), rt.nEnterHook)) ||
      hookInstalled(getAttr(rt.knobsRuntime.ptr(), rt.nExitHook)))
    return false;
  // The driver Triton chose, without the property's call once it is set.
  ctx.active = getAttr(rt.driverConfig.ptr(), rt.nActive);
  if (ctx.active.is_valid() && ctx.active.is_none())
    ctx.active = getAttr(rt.driverConfig.ptr(), rt.nActiveProperty);
  if (!ctx.active.is_valid() || ctx.active.is_none())
    return false;
  // torch.cuda.current_device() is its lazy CUDA initialization (done by
  // the first launch, which took Triton's path) and then this builtin.
  nb::object getDevice = getAttr(ctx.active.ptr(), rt.nGetDevice);
  if (!getDevice.is_valid())
    return false;
  if (rt.torchCurrentDevice.is_valid() &&
      getDevice.ptr() == rt.torchCurrentDevice.ptr())
    getDevice = rt.torchGetDevice;
  PyObject *device = PyObject_CallNoArgs(getDevice.ptr());
  if (!device) {
    PyErr_Clear();
    return false;
  }
  ctx.device = nb::steal(device);
  ctx.deviceIndex = PyLong_Check(device) ? PyLong_AsLong(device) : -1;
  if (PyErr_Occurred() || ctx.deviceIndex < 0) {
    PyErr_Clear();
    return false;
  }
  ctx.jitDebug = jitAttr(jitfn, rt.nDebug);
  ctx.knobDebug = getAttr(rt.knobsRuntime.ptr(), rt.nDebug);
  ctx.instrumentation = getAttr(rt.knobsCompilation.ptr(), rt.nInstrumentation);
  return ctx.jitDebug.is_valid() && ctx.knobDebug.is_valid() &&
         ctx.instrumentation.is_valid();
}

KernelState *stateOf(PyObject *jitfn, nb::object &holder) {
  holder = jitAttr(jitfn, runtime().nState);
  if (!holder.is_valid() || holder.is_none())
    return nullptr;
  // The state's exact type, then its C++ object (no nanobind cast lookup).
  static PyObject *stateType = nb::type<KernelState>().ptr();
  if (reinterpret_cast<PyObject *>(Py_TYPE(holder.ptr())) != stateType ||
      !nb::inst_ready(holder))
    return nullptr;
  return nb::inst_ptr<KernelState>(holder);
}

/// Whether Triton's cache still maps the entry's key to its kernel (a
/// cleared or replaced cache must not be bypassed).
bool stillCached(PyObject *jitfn, const CallContext &ctx, const Entry &entry) {
  nb::object caches = jitAttr(jitfn, runtime().nDeviceCaches);
  if (!caches.is_valid() || !PyDict_Check(caches.ptr()))
    return false;
  PyObject *perDevice = PyDict_GetItem(caches.ptr(), ctx.device.ptr());
  if (!perDevice || !PyTuple_Check(perDevice) ||
      PyTuple_GET_SIZE(perDevice) < 1)
    return false;
  PyObject *kernelCache = PyTuple_GET_ITEM(perDevice, 0);
  if (kernelCache != entry.kernelCache.ptr() || !PyDict_Check(kernelCache))
    return false;
  return PyDict_GetItem(kernelCache, entry.tritonKey.ptr()) ==
         entry.kernel.ptr();
}

/// Triton raises when a global the kernel read has changed since it was
/// compiled; the fast path leaves that to it.
bool globalsUnchanged(PyObject *jitfn) {
  nb::object used = jitAttr(jitfn, runtime().nUsedGlobals);
  if (!used.is_valid() || !PyDict_Check(used.ptr()))
    return false;
  Py_ssize_t pos = 0;
  PyObject *key, *value;
  while (PyDict_Next(used.ptr(), &pos, &key, &value)) {
    if (!PyTuple_Check(key) || PyTuple_GET_SIZE(key) < 1 ||
        !PyTuple_Check(value) || PyTuple_GET_SIZE(value) < 2)
      return false;
    PyObject *globals = PyTuple_GET_ITEM(value, 1);
    if (!PyDict_Check(globals))
      return false;
    PyObject *now = PyDict_GetItemWithError(globals, PyTuple_GET_ITEM(key, 0));
    if (!now) {
      PyErr_Clear();
      return false;
    }
    int differs =
        PyObject_RichCompareBool(now, PyTuple_GET_ITEM(value, 0), Py_NE);
    if (differs != 0) {
      PyErr_Clear();
      return false;
    }
  }
  return true;
}

/// Reads the grid (a sequence, or a callable of the bound arguments).
bool readGrid(PyObject *grid, const KernelState &state, const BoundCall &call,
              uint32_t dims[3]) {
  nb::object computed;
  if (!PyTuple_Check(grid) && !PyList_Check(grid)) {
    if (!PyCallable_Check(grid))
      return false;
    nb::dict bound = boundArgsDict(state.params, call);
    PyObject *result = PyObject_CallOneArg(grid, bound.ptr());
    if (!result) {
      PyErr_Clear();
      return false;
    }
    computed = nb::steal(result);
    grid = result;
    if (!PyTuple_Check(grid) && !PyList_Check(grid))
      return false;
  }
  Py_ssize_t size = PySequence_Fast_GET_SIZE(grid);
  if (size < 1)
    return false;
  PyObject **items = PySequence_Fast_ITEMS(grid);
  for (Py_ssize_t i = 0; i < 3; ++i) {
    if (i >= size) {
      dims[i] = 1;
      continue;
    }
    if (!PyLong_Check(items[i]))
      return false;
    long v = PyLong_AsLong(items[i]);
    if (PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    if (v < 0 || v > INT32_MAX)
      return false;
    dims[i] = static_cast<uint32_t>(v);
  }
  return true;
}

/// Triton's path (flagtree.launcher.registry.slow_path) for a call.
PyObject *slowPath(PyObject *jitfn, PyObject *grid, const CallArgs &args,
                   KernelState *state) {
  if (state)
    ++state->slowCalls;
  PyObject *tuple = PyTuple_New(static_cast<Py_ssize_t>(args.nargs));
  if (!tuple)
    return nullptr;
  nb::object argsTuple = nb::steal(tuple);
  for (size_t i = 0; i < args.nargs; ++i) {
    Py_INCREF(args.args[i]);
    PyTuple_SET_ITEM(tuple, static_cast<Py_ssize_t>(i), args.args[i]);
  }
  nb::object kwargs = nb::none();
  if (size_t numKeywords = args.numKeywords()) {
    nb::dict dict;
    for (size_t k = 0; k < numKeywords; ++k)
      dict[nb::handle(PyTuple_GET_ITEM(args.kwnames, k))] =
          nb::handle(args.args[args.nargs + k]);
    kwargs = dict;
  }
  return PyObject_CallFunctionObjArgs(runtime().slowPath.ptr(), jitfn, grid,
                                      tuple, kwargs.ptr(), nullptr);
}

/// The fast path; returns a new reference, or NULL with an error set.
PyObject *fastCall(PyObject *jitfn, PyObject *grid, const CallArgs &args) {
  // One bound call and key buffer per thread, reused; a launch from inside
  // a launch (a grid function that launches) gets its own.
  thread_local BoundCall threadCall;
  thread_local std::string threadKey;
  thread_local int depth = 0;
  struct Depth {
    int &d;
    explicit Depth(int &d) : d(d) { ++d; }
    ~Depth() { --d; }
  } nesting(depth);
  std::unique_ptr<BoundCall> nestedCall;
  std::string nestedKey;
  if (depth > 1)
    nestedCall = std::make_unique<BoundCall>();
  BoundCall &call = depth > 1 ? *nestedCall : threadCall;
  std::string &key = depth > 1 ? nestedKey : threadKey;
  // The references a call takes end with it: a thread's reused call must
  // not keep them (nor release them at thread exit, without the GIL or
  // after the interpreter has finalized).
  struct Release {
    BoundCall &c;
    ~Release() {
      c.owned.clear();
      c.identities.clear();
    }
  } release{call};
  Runtime &rt = runtime();
  nb::object holder;
  KernelState *state = stateOf(jitfn, holder);
  CallContext ctx;
  if (!state || !readContext(jitfn, ctx))
    return slowPath(jitfn, grid, args, state);
  RunOptions options{ctx.jitDebug.ptr(), ctx.knobDebug.ptr(),
                     ctx.instrumentation.ptr()};
  key.clear();
  if (!bindCall(state->params, args, options, call) ||
      !encodeKey(state->params, call, ctx.deviceIndex, key))
    return slowPath(jitfn, grid, args, state);
  auto it = state->table.find(key);
  if (it == state->table.end())
    return slowPath(jitfn, grid, args, state);
  std::shared_ptr<Entry> entry = it->second;
  if (!stillCached(jitfn, ctx, *entry)) {
    state->table.erase(it);
    return slowPath(jitfn, grid, args, state);
  }
  uint32_t dims[3];
  if (!globalsUnchanged(jitfn) || !readGrid(grid, *state, call, dims))
    return slowPath(jitfn, grid, args, state);
  nb::object stream = nb::int_(0);
  if (entry->kind != LaunchKind::CPU) {
    PyObject *s = PyObject_CallMethodOneArg(
        ctx.active.ptr(), rt.nGetStream.ptr(), ctx.device.ptr());
    if (!s)
      return nullptr;
    stream = nb::steal(s);
  }
  switch (launch(*entry, call, dims, stream.ptr())) {
  case LaunchResult::Failed:
    return nullptr;
  case LaunchResult::Declined:
    return slowPath(jitfn, grid, args, state);
  case LaunchResult::Done:
    break;
  }
  ++state->fastLaunches;
  return entry->kernel.inc_ref().ptr();
}

/// `kernel[grid]`: the grid, bound to its kernel. A plain CPython type
/// with vectorcall, so that calling it allocates no argument tuple or dict.
struct GridCallObject {
  PyObject_HEAD PyObject *jitfn;
  PyObject *grid;
  vectorcallfunc vectorcall;
};

PyObject *gridCallVectorcall(PyObject *self, PyObject *const *args,
                             size_t nargsf, PyObject *kwnames) {
  auto *call = reinterpret_cast<GridCallObject *>(self);
  CallArgs view;
  view.args = args;
  view.nargs = static_cast<size_t>(PyVectorcall_NARGS(nargsf));
  view.kwnames = kwnames && PyTuple_GET_SIZE(kwnames) ? kwnames : nullptr;
  return fastCall(call->jitfn, call->grid, view);
}

void gridCallDealloc(PyObject *self) {
  auto *call = reinterpret_cast<GridCallObject *>(self);
  PyTypeObject *type = Py_TYPE(self);
  Py_XDECREF(call->jitfn);
  Py_XDECREF(call->grid);
  type->tp_free(self);
  Py_DECREF(type);
}

PyObject *gridCallGrid(PyObject *self, void *) {
  PyObject *grid = reinterpret_cast<GridCallObject *>(self)->grid;
  Py_INCREF(grid);
  return grid;
}

PyTypeObject *gridCallType() {
  static PyTypeObject *type = [] {
    static PyMemberDef members[] = {{"__vectorcalloffset__", T_PYSSIZET,
                                     offsetof(GridCallObject, vectorcall),
                                     READONLY, nullptr},
                                    {nullptr, 0, 0, 0, nullptr}};
    static PyGetSetDef getset[] = {
        {"grid", gridCallGrid, nullptr, nullptr, nullptr},
        {nullptr, nullptr, nullptr, nullptr, nullptr}};
    static PyType_Slot slots[] = {
        {Py_tp_dealloc, reinterpret_cast<void *>(gridCallDealloc)},
        {Py_tp_call, reinterpret_cast<void *>(PyVectorcall_Call)},
        {Py_tp_members, members},
        {Py_tp_getset, getset},
        {Py_tp_doc, const_cast<char *>("kernel[grid], ready to be called")},
        {0, nullptr}};
    static PyType_Spec spec = {
        "flagtree.launcher._launcher.GridCall", sizeof(GridCallObject), 0,
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL, slots};
    return reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&spec));
  }();
  return type;
}

nb::object makeGridCall(nb::handle jitfn, nb::handle grid) {
  PyTypeObject *type = gridCallType();
  if (!type)
    throw nb::python_error();
  auto *call = PyObject_New(GridCallObject, type);
  if (!call)
    throw nb::python_error();
  call->jitfn = jitfn.inc_ref().ptr();
  call->grid = grid.inc_ref().ptr();
  call->vectorcall = gridCallVectorcall;
  return nb::steal(reinterpret_cast<PyObject *>(call));
}

nb::object toObject(PyObject *result) {
  if (!result)
    throw nb::python_error();
  return nb::steal(result);
}

std::vector<ParamInfo> paramsFrom(nb::list described) {
  std::vector<ParamInfo> params;
  for (nb::handle item : described) {
    nb::tuple t = nb::cast<nb::tuple>(item);
    if (t.size() != 9)
      throw nb::value_error("parameter description: 9 fields expected");
    ParamInfo p;
    p.name = nb::borrow(t[0]);
    p.isConstexpr = nb::cast<bool>(t[1]);
    p.isConst = nb::cast<bool>(t[2]);
    p.specialize = nb::cast<bool>(t[3]);
    p.align = nb::cast<bool>(t[4]);
    p.annotation = nb::borrow(t[5]);
    p.annotationOnly = nb::cast<bool>(t[6]);
    p.hasDefault = nb::cast<bool>(t[7]);
    p.defaultValue = nb::borrow(t[8]);
    params.push_back(std::move(p));
  }
  if (params.size() > kMaxParams)
    throw nb::value_error("too many parameters for the fast path");
  return params;
}

/// The recipe tuple built by flagtree.launcher.registry: ("cpu", kernel
/// handle, launch function address, slots, launch error function address,
/// assertion exception class), ("cuda", function, num_warps,
/// num_ctas, shared, cooperative, pdl, slots) or ("triton", run, function,
/// packed_metadata).
void applyRecipe(Entry &entry, nb::tuple recipe) {
  std::string kind = nb::cast<std::string>(recipe[0]);
  auto readSlots = [&](nb::handle list) {
    for (nb::handle item : nb::cast<nb::list>(list)) {
      nb::tuple slot = nb::cast<nb::tuple>(item);
      entry.slots.push_back({nb::cast<uint32_t>(slot[0]),
                             static_cast<SlotKind>(nb::cast<int>(slot[1]))});
    }
  };
  if (kind == "cpu") {
    entry.kind = LaunchKind::CPU;
    entry.cpuKernel = reinterpret_cast<void *>(nb::cast<uintptr_t>(recipe[1]));
    entry.cpuLaunch =
        reinterpret_cast<CPULaunchFn>(nb::cast<uintptr_t>(recipe[2]));
    readSlots(recipe[3]);
    entry.cpuLaunchError =
        reinterpret_cast<CPULaunchErrorFn>(nb::cast<uintptr_t>(recipe[4]));
    entry.cpuAssertionError = nb::borrow(recipe[5]);
    if (!entry.cpuKernel || !entry.cpuLaunch || !entry.cpuLaunchError)
      throw nb::value_error("cpu recipe: null kernel or launch function");
  } else if (kind == "cuda") {
    entry.kind = LaunchKind::CUDA;
    entry.function = nb::cast<uint64_t>(recipe[1]);
    entry.numWarps = nb::cast<unsigned>(recipe[2]);
    entry.numCtas = nb::cast<unsigned>(recipe[3]);
    entry.sharedBytes = nb::cast<unsigned>(recipe[4]);
    entry.cooperative = nb::cast<bool>(recipe[5]);
    entry.pdl = nb::cast<bool>(recipe[6]);
    readSlots(recipe[7]);
  } else if (kind == "triton") {
    entry.kind = LaunchKind::Triton;
    entry.run = nb::borrow(recipe[1]);
    entry.functionObject = nb::borrow(recipe[2]);
    entry.packedMetadata = nb::borrow(recipe[3]);
  } else {
    throw nb::value_error("unknown launch recipe");
  }
  for (const ArgSlot &slot : entry.slots)
    if (static_cast<int>(slot.kind) > static_cast<int>(SlotKind::Fp64))
      throw nb::value_error("unknown argument kind in recipe");
}

} // namespace

NB_MODULE(_launcher, m) {
  m.doc() = "flagtree's C++ launcher: the fast path of kernel[grid](...)";
  // Kernel states live in JITFunction objects, which Python need not free
  // before exit; nanobind would report them as leaks.
  nb::set_leak_warnings(false);

  nb::class_<KernelState>(m, "KernelState")
      .def("__init__",
           [](KernelState *self, nb::list params) {
             new (self) KernelState();
             self->params = paramsFrom(params);
           })
      .def(
          "describe",
          [](KernelState &self, nb::handle jitfn, nb::tuple args,
             nb::object kwargs) -> nb::object {
            // The key and Triton's view of a call, read as the fast path
            // reads it; None when the fast path cannot take the call.
            BoundCall call;
            CallContext ctx;
            if (!readContext(jitfn.ptr(), ctx))
              return nb::none();
            RunOptions options{ctx.jitDebug.ptr(), ctx.knobDebug.ptr(),
                               ctx.instrumentation.ptr()};
            PyObject *kw = kwargs.is_none() ? nullptr : kwargs.ptr();
            PackedCallArgs packed(args.ptr(), kw);
            std::string key;
            if (!bindCall(self.params, packed.view(), options, call) ||
                !encodeKey(self.params, call, ctx.deviceIndex, key))
              return nb::none();
            nb::list identities;
            for (PyObject *obj : call.identities)
              identities.append(nb::handle(obj));
            nb::tuple triton = renderTriton(self.params, call);
            return nb::make_tuple(nb::bytes(key.data(), key.size()), ctx.device,
                                  triton[0], triton[1], triton[2], identities);
          },
          nb::arg("jitfn"), nb::arg("args"), nb::arg("kwargs").none())
      .def("add",
           [](KernelState &self, nb::bytes key, nb::object kernel,
              nb::object kernelCache, nb::object tritonKey, nb::list identities,
              nb::tuple recipe) {
             auto entry = std::make_shared<Entry>();
             entry->kernel = kernel;
             entry->kernelCache = kernelCache;
             entry->tritonKey = tritonKey;
             for (nb::handle obj : identities)
               entry->pins.push_back(nb::borrow(obj));
             applyRecipe(*entry, recipe);
             if (self.table.size() >= kMaxEntries)
               self.table.clear();
             self.table[std::string(key.c_str(), key.size())] = entry;
           })
      .def("clear", [](KernelState &self) { self.table.clear(); })
      .def("__len__", [](KernelState &self) { return self.table.size(); })
      .def_prop_ro("fast_launches",
                   [](KernelState &self) { return self.fastLaunches; })
      .def_prop_ro("slow_calls",
                   [](KernelState &self) { return self.slowCalls; });

  m.attr("GridCall") = nb::handle(reinterpret_cast<PyObject *>(gridCallType()));

  m.def(
      "getitem",
      [](nb::handle jitfn, nb::handle grid) {
        return makeGridCall(jitfn, grid);
      },
      nb::is_method(), "`kernel[grid]` for JITFunction.__getitem__");

  m.def(
      "run",
      [](nb::handle jitfn, nb::args args, nb::kwargs kwargs) -> nb::object {
        // JITFunction.run(*args, grid, warmup, **kwargs), as the autotuner
        // and heuristics wrappers call it.
        PyObject *grid = PyDict_GetItemString(kwargs.ptr(), "grid");
        PyObject *warmup = PyDict_GetItemString(kwargs.ptr(), "warmup");
        int warm = warmup ? PyObject_IsTrue(warmup) : -1;
        if (!grid || warm != 0) {
          PyErr_Clear();
          PyObject *kw = kwargs.ptr();
          return toObject(PyObject_CallFunctionObjArgs(
              runtime().slowPath.ptr(), jitfn.ptr(), Py_None, args.ptr(), kw,
              Py_True, nullptr));
        }
        nb::object gridRef = nb::borrow(grid);
        nb::dict rest;
        Py_ssize_t pos = 0;
        PyObject *name, *value;
        while (PyDict_Next(kwargs.ptr(), &pos, &name, &value))
          if (PyUnicode_CompareWithASCIIString(name, "grid") != 0 &&
              PyUnicode_CompareWithASCIIString(name, "warmup") != 0)
            rest[nb::handle(name)] = nb::handle(value);
        PackedCallArgs packed(args.ptr(), rest.ptr());
        return toObject(fastCall(jitfn.ptr(), gridRef.ptr(), packed.view()));
      },
      nb::is_method(), "JITFunction.run through the fast path");

  m.def(
      "configure",
      [](nb::object knobsRuntime, nb::object knobsCompilation,
         nb::object driverConfig, nb::object hookChainType, nb::object slow) {
        Runtime &rt = runtime();
        rt.knobsRuntime = knobsRuntime;
        rt.knobsCompilation = knobsCompilation;
        rt.driverConfig = driverConfig;
        rt.hookChainType = hookChainType;
        rt.slowPath = slow;
        rt.nState = intern("_flagtree_launcher");
        rt.nPreRunHooks = intern("pre_run_hooks");
        rt.nUsedGlobals = intern("used_global_vals");
        rt.nDeviceCaches = intern("device_caches");
        rt.nDebug = intern("debug");
        rt.nEnterHook = intern("launch_enter_hook");
        rt.nExitHook = intern("launch_exit_hook");
        rt.nCalls = intern("calls");
        rt.nActive = intern("_active");
        rt.nActiveProperty = intern("active");
        rt.nGetDevice = intern("get_current_device");
        rt.nGetStream = intern("get_current_stream");
        rt.nInstrumentation = intern("instrumentation_mode");
        try {
          nb::module_ torch = nb::module_::import_("torch");
          rt.torchCurrentDevice = torch.attr("cuda").attr("current_device");
          rt.torchGetDevice = torch.attr("_C").attr("_cuda_getDevice");
        } catch (nb::python_error &) {
          rt.torchCurrentDevice = nb::object();
          rt.torchGetDevice = nb::object();
        }
        rt.configured = true;
        TritonTypes::get();
      },
      "Sets the Triton objects the fast path reads and its slow path.");
}
